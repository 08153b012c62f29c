package io.tt.common.proxy.http;

/**
 * Caps that bound every buffer the HTTP parsers keep.
 *
 * @param maxStartLineBytes request or status line, without CRLF (over it: 414 for requests)
 * @param maxHeadBytes whole head including leading empty lines and the final CRLF; also caps a chunked trailer
 *     section (over it: 431)
 * @param maxHeaderFields field lines per head or trailer section (over it: 431)
 * @param maxChunkLineBytes chunk-size line with extensions, without CRLF (over it: 400)
 * @param maxPendingResponses requests sent to one origin whose responses have not yet begun (pipelining depth)
 */
public record HttpLimits(int maxStartLineBytes, int maxHeadBytes, int maxHeaderFields, int maxChunkLineBytes,
                         int maxPendingResponses) {

  public static final HttpLimits DEFAULT = new HttpLimits(8 * 1024, 64 * 1024, 100, 4 * 1024, 128);

  public HttpLimits {
    if (maxStartLineBytes < 16 || maxHeadBytes < maxStartLineBytes || maxHeaderFields < 1
        || maxChunkLineBytes < 1 || maxPendingResponses < 1) {
      throw new IllegalArgumentException("inconsistent HTTP limits");
    }
  }
}
