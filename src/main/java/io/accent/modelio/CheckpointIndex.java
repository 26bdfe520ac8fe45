package io.accent.modelio;

import com.google.protobuf.InvalidProtocolBufferException;
import io.accent.core.ModelException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.tensorflow.proto.BundleEntryProto;
import org.tensorflow.proto.DataType;

/**
 * The table of contents of a TensorFlow V2 checkpoint: its {@code .index} file, a LevelDB-format
 * table (footer with magic number, an index block pointing at data blocks, prefix-compressed keys,
 * masked CRC-32C per block) whose keys are tensor names and whose values are {@code
 * BundleEntryProto} (dtype, shape, where the bytes are). Read so that the import can list,
 * type-check and name tensors before asking TensorFlow to restore any, and report a damaged index
 * in one line.
 */
final class CheckpointIndex {

    /** dtype and shape of one stored tensor. */
    record Entry(DataType dtype, long[] shape) {
        Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    private static final long MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER = 48;
    private static final int TRAILER = 5;

    private final Map<String, Entry> entries;

    private CheckpointIndex(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Tensor name to dtype and shape, sorted by name. */
    Map<String, Entry> entries() {
        return entries;
    }

    /**
     * Reads and checks {@code indexFile}; any damage is a {@link ModelException} naming the file.
     */
    static CheckpointIndex read(Path indexFile) {
        byte[] b;
        try {
            b = Files.readAllBytes(indexFile);
        } catch (IOException e) {
            throw new ModelException(
                    "cannot read checkpoint index " + indexFile + ": " + e.getMessage(), e);
        }
        try {
            return new CheckpointIndex(parse(b));
        } catch (CorruptIndex | InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            throw new ModelException(
                    "the checkpoint index " + indexFile + " is corrupt (" + e.getMessage() + ")",
                    e);
        }
    }

    private static final class CorruptIndex extends Exception {
        CorruptIndex(String message) {
            super(message);
        }
    }

    private static Map<String, Entry> parse(byte[] b)
            throws CorruptIndex, InvalidProtocolBufferException {
        if (b.length < FOOTER) {
            throw new CorruptIndex(b.length + " bytes, shorter than a table footer");
        }
        long magic = 0;
        for (int k = 7; k >= 0; k--) {
            magic = (magic << 8) | (b[b.length - 8 + k] & 0xff);
        }
        if (magic != MAGIC) {
            throw new CorruptIndex("bad magic number");
        }
        int[] pos = {b.length - FOOTER};
        varint(b, pos); // metaindex block offset
        varint(b, pos); // metaindex block size
        long indexOffset = varint(b, pos);
        long indexSize = varint(b, pos);
        Map<String, Entry> out = new TreeMap<>();
        for (byte[][] ie : block(b, indexOffset, indexSize)) {
            int[] p = {0};
            long off = varint(ie[1], p);
            long size = varint(ie[1], p);
            for (byte[][] de : block(b, off, size)) {
                String name = new String(de[0], StandardCharsets.UTF_8);
                if (name.isEmpty()) {
                    continue; // the bundle header
                }
                BundleEntryProto e = BundleEntryProto.parseFrom(de[1]);
                long[] shape =
                        e.getShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
                out.put(name, new Entry(e.getDtype(), shape));
            }
        }
        return out;
    }

    /**
     * The (key, value) entries of the block at {@code offset}, after checking its trailer and
     * checksum.
     */
    private static byte[][][] block(byte[] b, long offset, long size) throws CorruptIndex {
        if (offset < 0 || size < 4 || offset + size + TRAILER > b.length) {
            throw new CorruptIndex("block handle out of range");
        }
        int o = (int) offset;
        int n = (int) size;
        if (b[o + n] != 0) {
            throw new CorruptIndex("compressed block (type " + b[o + n] + "), not supported");
        }
        CRC32C crc = new CRC32C();
        crc.update(b, o, n + 1);
        int c = (int) crc.getValue();
        int masked = ((c >>> 15) | (c << 17)) + 0xa282ead8;
        if (masked != fixed32(b, o + n + 1)) {
            throw new CorruptIndex("block checksum mismatch at offset " + o);
        }
        int restarts = fixed32(b, o + n - 4);
        int end = o + n - 4 - 4 * restarts;
        if (restarts < 1 || end < o) {
            throw new CorruptIndex("bad restart count " + restarts);
        }
        java.util.List<byte[][]> out = new java.util.ArrayList<>();
        byte[] prev = new byte[0];
        int[] p = {o};
        while (p[0] < end) {
            int shared = (int) varint(b, p);
            int own = (int) varint(b, p);
            int valueLength = (int) varint(b, p);
            if (shared > prev.length
                    || own < 0
                    || valueLength < 0
                    || p[0] + own + valueLength > end) {
                throw new CorruptIndex("bad block entry at offset " + p[0]);
            }
            ByteArrayOutputStream key = new ByteArrayOutputStream();
            key.write(prev, 0, shared);
            key.write(b, p[0], own);
            p[0] += own;
            byte[] value = Arrays.copyOfRange(b, p[0], p[0] + valueLength);
            p[0] += valueLength;
            prev = key.toByteArray();
            out.add(new byte[][] {prev, value});
        }
        return out.toArray(byte[][][]::new);
    }

    private static int fixed32(byte[] b, int at) {
        return (b[at] & 0xff)
                | (b[at + 1] & 0xff) << 8
                | (b[at + 2] & 0xff) << 16
                | (b[at + 3] & 0xff) << 24;
    }

    private static long varint(byte[] b, int[] pos) throws CorruptIndex {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new CorruptIndex("truncated varint");
            }
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptIndex("varint too long");
    }
}
