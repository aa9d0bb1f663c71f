package dev.usagemetrics.testkit;

import java.time.Duration;

/**
 * How a transport must answer the request it just handed to the receiver.
 *
 * @param code for a refusal: gRPC status code value or HTTP status
 * @param retryAfter sent as HTTP {@code Retry-After} when not null
 */
record Reply(ReceivedRequest.Disposition disposition, int code, Duration retryAfter) {

  static final Reply ACCEPT = new Reply(ReceivedRequest.Disposition.ACCEPTED, 0, null);
  static final Reply STALL = new Reply(ReceivedRequest.Disposition.STALLED, 0, null);

  static Reply refuse(int code, Duration retryAfter) {
    return new Reply(ReceivedRequest.Disposition.REFUSED, code, retryAfter);
  }
}
