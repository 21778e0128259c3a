package io.github.smtpletter.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A letter with a 200 MB attachment is signed (two passes) and sent from a JVM with {@code -Xmx64m}: it must not run
 * out of memory, and the SIZE declared (which includes the DKIM-Signature field) is exactly what arrives. Prints the
 * figures; no timed assertion (the bound only keeps a stuck run from hanging the build).
 */
class DkimConstantMemoryTest {

    @TempDir
    Path dir;

    @Test
    void twoHundredMegabytesSignedAndSentWithSixtyFourMegabytesOfHeap() throws Exception {
        String result = run("rsa-sha256", 200);
        String[] f = result.split(" ");
        assertEquals("SENT", f[1], result);
        assertEquals(f[4], f[5], "SIZE declared = bytes received: " + result);
        assertEquals("true", f[6], "the DKIM-Signature field comes first: " + result);
        System.out.printf("DKIM rsa-sha256, 200 MB attachment, -Xmx64m: %s s, peak heap %s MB, %s bytes%n", f[2],
                f[3], f[5]);
    }

    private String run(String algorithm, int megabytes) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), DkimBigLetterMain.class.getName(), dir.toString(),
                String.valueOf(megabytes), algorithm)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append(e);
            }
        });
        reader.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the -Xmx64m run did not finish within 180 s");
        }
        reader.join(10_000);
        assertEquals(0, p.exitValue(), out::toString);
        String result = out.toString().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("");
        assertTrue(!result.isEmpty(), out::toString);
        return result;
    }
}
