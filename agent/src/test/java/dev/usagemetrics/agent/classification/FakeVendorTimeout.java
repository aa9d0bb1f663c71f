package dev.usagemetrics.agent.classification;

/** Test stand-in for a vendor exception: unrelated to any JDK timeout type except by its interface. */
public class FakeVendorTimeout extends RuntimeException implements VendorTimeoutSignal {

  private static final long serialVersionUID = 1L;

  public FakeVendorTimeout(String message) {
    super(message);
  }
}
