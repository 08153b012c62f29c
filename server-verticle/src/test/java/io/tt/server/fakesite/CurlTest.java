package io.tt.server.fakesite;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a real client prints when it talks to the fake site through the TT-like front. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CurlTest {

    static Vertx vertx;
    static Front front;

    @BeforeAll
    static void up() throws Exception {
        vertx = Vertx.vertx();
        front = Front.start(vertx, new BuiltInSite(vertx, new BuiltInSite.Options().contentMtime(BuiltInSiteTest.MTIME)));
    }

    @AfterAll
    static void down() throws Exception {
        front.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static String curl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "curl");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    /** Runs curl; returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) throws Exception {
        String curl = curl();
        Assumptions.assumeTrue(curl != null, "curl is not installed (not on PATH): skipping the curl checks");
        List<String> cmd = new ArrayList<>();
        cmd.add(curl);
        for (String a : args) {
            cmd.add(a);
        }
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
        return new Object[] {p.exitValue(), out.get(5, TimeUnit.SECONDS),
            new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8)};
    }

    static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (Exception e) {
            return new byte[0];
        }
    }

    @Test
    void curlSeesNginx() throws Exception {
        Object[] r = run("-sv", "--max-time", "20", "http://127.0.0.1:" + front.port + "/");
        String err = (String) r[2];
        assertEquals(0, r[0], err);
        assertArrayEquals(BuiltInSiteTest.resource("index.html"), (byte[]) r[1]);
        assertTrue(err.contains("< HTTP/1.1 200 OK"), err);
        assertTrue(err.contains("< Server: nginx/1.24.0"), err);
        assertTrue(err.contains("< Content-Type: text/html"), err);
        assertTrue(err.contains("< Connection: keep-alive"), err);
        assertTrue(err.contains("< Accept-Ranges: bytes"), err);
        assertTrue(err.matches("(?s).*< ETag: \"6553f100-[0-9a-f]+\".*"), err);
    }

    @Test
    void curlCompressedAndMissingPage() throws Exception {
        Object[] r = run("-sv", "--compressed", "--max-time", "20", "http://127.0.0.1:" + front.port + "/about.html");
        String err = (String) r[2];
        assertEquals(0, r[0], err);
        assertArrayEquals(BuiltInSiteTest.resource("about.html"), (byte[]) r[1]);
        assertTrue(err.contains("< Content-Encoding: gzip"), err);
        assertTrue(err.contains("< Transfer-Encoding: chunked"), err);

        Object[] nf = run("-sv", "--max-time", "20", "http://127.0.0.1:" + front.port + "/admin/");
        String nferr = (String) nf[2];
        assertEquals(0, nf[0], nferr);
        assertTrue(nferr.contains("< HTTP/1.1 404 Not Found"), nferr);
        assertEquals(BuiltInSiteTest.PAGE_404, new String((byte[]) nf[1], StandardCharsets.ISO_8859_1));
    }
}
