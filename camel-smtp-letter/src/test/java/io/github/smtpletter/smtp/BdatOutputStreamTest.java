package io.github.smtpletter.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BdatOutputStreamTest {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final List<String> events = new ArrayList<>();

    private BdatOutputStream stream(int chunk, boolean lastAlone) {
        return new BdatOutputStream(sink, chunk, (i, size, last) -> events.add(i + ":" + size + (last ? "L" : "")),
                lastAlone);
    }

    private String sent() {
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void cutsIntoChunksAndEndsWithLast() throws IOException {
        BdatOutputStream out = stream(4, false);
        out.write("abcdefghij\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
        out.finish();
        assertEquals("BDAT 4\r\nabcdBDAT 4\r\nefghBDAT 4\r\nij\r\nBDAT 3 LAST\r\n.\r\n", sent());
        assertEquals(List.of("0:4", "1:4", "2:4", "3:3L"), events);
        assertTrue(out.lastSent());
    }

    @Test
    void aFullBufferWaitsForMoreDataSoTheLastChunkIsNotEmpty() throws IOException {
        BdatOutputStream out = stream(3, false);
        out.write("abcdef".getBytes(StandardCharsets.US_ASCII));
        out.finish();
        assertEquals("BDAT 3\r\nabcBDAT 3 LAST\r\ndef", sent());
    }

    @Test
    void singleByteWritesAndEmptyContent() throws IOException {
        BdatOutputStream out = stream(2, false);
        for (byte b : "xyz".getBytes(StandardCharsets.US_ASCII)) {
            out.write(b);
        }
        out.finish();
        assertEquals("BDAT 2\r\nxyBDAT 1 LAST\r\nz", sent());
        sink.reset();
        BdatOutputStream empty = stream(2, false);
        empty.finish();
        assertEquals("BDAT 0 LAST\r\n", sent());
    }

    @Test
    void lastAloneKeepsLastOutOfTheFirstChunk() throws IOException {
        BdatOutputStream out = stream(100, true);
        out.write("short".getBytes(StandardCharsets.US_ASCII));
        out.finish();
        assertEquals("BDAT 5\r\nshortBDAT 0 LAST\r\n", sent());
        assertEquals(List.of("0:5", "1:0L"), events);
    }

    @Test
    void closeNeverSendsLastAndAFailedListenerStopsTheStream() throws IOException {
        BdatOutputStream out = new BdatOutputStream(sink, 2, (i, size, last) -> {
            throw new IOException("refused");
        }, false);
        out.write('a');
        out.close();
        assertEquals("", sent());
        out.write('b');
        assertThrows(IOException.class, () -> out.write('c'));
        assertThrows(IOException.class, () -> out.write('d'));
        assertThrows(IOException.class, out::finish);
        assertEquals("BDAT 2\r\nab", sent());
    }
}
