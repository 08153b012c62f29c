package io.tt.client;

import io.tt.common.config.ClientConfig;
import io.tt.common.net.LoopListeners;
import io.tt.common.proxy.ProxyAuth;
import io.tt.common.schedule.SlotClock;

import java.util.concurrent.atomic.LongAdder;

/** What every listener instance of one client shares. */
public record ClientContext(ClientConfig config, ClientKeys keys, ServerPicker picker, SlotClock clock,
                            ProxyAuth proxyAuth, LongAdder tunnelsOpened, LongAdder tunnelFailures,
                            LoopListeners listeners) {

  public ClientContext(ClientConfig config, ClientKeys keys, ServerPicker picker, SlotClock clock) {
    this(config, keys, picker, clock,
        config.proxyUser() == null ? ProxyAuth.none()
            : ProxyAuth.usernamePassword(config.proxyUser(), config.proxyPassword().value()),
        new LongAdder(), new LongAdder(), new LoopListeners());
  }
}
