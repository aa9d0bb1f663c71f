package dev.usagemetrics.agent.classification;

/** Test stand-in for a vendor's marker interface that a rule names (by name only). */
public interface VendorTimeoutSignal {}
