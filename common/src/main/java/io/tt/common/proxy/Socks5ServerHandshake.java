package io.tt.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.socks5.Socks5AuthMethod;
import io.tt.common.proxy.socks5.Socks5CommandRequest;
import io.tt.common.proxy.socks5.Socks5CommandResponse;
import io.tt.common.proxy.socks5.Socks5CommandType;
import io.tt.common.proxy.socks5.Socks5DecoderException;
import io.tt.common.proxy.socks5.Socks5InitialRequest;
import io.tt.common.proxy.socks5.Socks5InitialResponse;
import io.tt.common.proxy.socks5.Socks5PasswordAuthRequest;
import io.tt.common.proxy.socks5.Socks5PasswordAuthResponse;
import io.tt.common.proxy.socks5.Socks5ReplyCode;

import java.util.Arrays;

/**
 * Server side of the SOCKS5 handshake as an explicit state machine: GREETING, then PASSWORD (RFC 1929, when that
 * method was selected), then REQUEST, then DONE or FAILED. Each state decodes a whole message or waits; a message
 * never exceeds 513 bytes, so waiting is bounded. A client that sends several messages at once (without waiting
 * for replies) is served in one call: the replies owed so far are written ahead of the final one.
 *
 * <p>Policy: with credentials configured, only username/password is acceptable (a client offering only no-auth
 * gets 0xFF and a close). Without, no-auth is preferred; a client offering only username/password is let in with
 * whatever it sends. Only CONNECT is served; BIND and UDP ASSOCIATE get "command not supported".
 */
final class Socks5ServerHandshake {

  private enum State { GREETING, PASSWORD, REQUEST, DONE }

  private final ProxyAuth auth;
  private State state = State.GREETING;

  Socks5ServerHandshake(ProxyAuth auth) {
    this.auth = auth;
  }

  /** Consumes whole messages from {@code in}; never throws on input. */
  HandshakeResult advance(ByteBuf in) {
    ByteBuf owed = Unpooled.buffer(4);
    try {
      while (true) {
        switch (state) {
          case GREETING -> {
            Socks5InitialRequest greeting = Socks5InitialRequest.decode(in);
            if (greeting == null) {
              return waitFor(owed);
            }
            int method = selectMethod(greeting);
            new Socks5InitialResponse(method).encode(owed);
            if (method == Socks5AuthMethod.NO_ACCEPTABLE) {
              return fail(owed, "no acceptable SOCKS5 authentication method");
            }
            state = method == Socks5AuthMethod.PASSWORD ? State.PASSWORD : State.REQUEST;
          }
          case PASSWORD -> {
            Socks5PasswordAuthRequest credentials = Socks5PasswordAuthRequest.decode(in);
            if (credentials == null) {
              return waitFor(owed);
            }
            byte[] password = credentials.password();
            boolean ok = auth.check(credentials.username(), password);
            Arrays.fill(password, (byte) 0);
            credentials.clear();
            if (!ok) {
              new Socks5PasswordAuthResponse(Socks5PasswordAuthResponse.FAILURE).encode(owed);
              return fail(owed, "SOCKS5 authentication failed");
            }
            new Socks5PasswordAuthResponse(Socks5PasswordAuthResponse.SUCCESS).encode(owed);
            state = State.REQUEST;
          }
          case REQUEST -> {
            Socks5CommandRequest request = Socks5CommandRequest.decode(in);
            if (request == null) {
              return waitFor(owed);
            }
            Socks5ReplyCode refusal = refusal(request);
            if (refusal != null) {
              Socks5CommandResponse.failure(refusal).encode(owed);
              return fail(owed, "SOCKS5 request refused: " + refusal);
            }
            state = State.DONE;
            return HandshakeResult.Connect.socks5(request.target(), owed, in.readSlice(in.readableBytes()));
          }
          default -> throw new IllegalStateException("SOCKS5 handshake already finished");
        }
      }
    } catch (Socks5DecoderException e) {
      return decodeFailure(owed, e);
    }
  }

  private int selectMethod(Socks5InitialRequest greeting) {
    if (auth.required()) {
      return greeting.offers(Socks5AuthMethod.PASSWORD) ? Socks5AuthMethod.PASSWORD : Socks5AuthMethod.NO_ACCEPTABLE;
    }
    if (greeting.offers(Socks5AuthMethod.NO_AUTH)) {
      return Socks5AuthMethod.NO_AUTH;
    }
    return greeting.offers(Socks5AuthMethod.PASSWORD) ? Socks5AuthMethod.PASSWORD : Socks5AuthMethod.NO_ACCEPTABLE;
  }

  /** Why a well-formed request is not served, or null if it is. */
  private static Socks5ReplyCode refusal(Socks5CommandRequest request) {
    if (request.command() != Socks5CommandType.CONNECT) {
      return Socks5ReplyCode.COMMAND_NOT_SUPPORTED;
    }
    TargetAddress target = request.target();
    if (!HostNames.isValidHost(target.host())) {
      return Socks5ReplyCode.HOST_UNREACHABLE; // a name no resolver would find
    }
    if (target.port() == 0) {
      return Socks5ReplyCode.GENERAL_FAILURE;
    }
    return null;
  }

  /** Wrong version bytes: answer where the message kind has a reply, else close without a word. */
  private HandshakeResult decodeFailure(ByteBuf owed, Socks5DecoderException e) {
    switch (state) {
      case PASSWORD -> new Socks5PasswordAuthResponse(Socks5PasswordAuthResponse.FAILURE).encode(owed);
      case REQUEST -> Socks5CommandResponse.failure(e.replyCode()).encode(owed);
      default -> {
        // a greeting that is not SOCKS5: no reply applies
      }
    }
    return fail(owed, "malformed SOCKS5 " + state.name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
  }

  private HandshakeResult waitFor(ByteBuf owed) {
    return owed.isReadable() ? new HandshakeResult.Reply(owed) : HandshakeResult.NeedMore.INSTANCE;
  }

  private HandshakeResult fail(ByteBuf bytes, String reason) {
    state = State.DONE;
    return new HandshakeResult.Fail(bytes, reason);
  }
}
