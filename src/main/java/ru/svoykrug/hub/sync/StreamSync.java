package ru.svoykrug.hub.sync;

import ru.svoykrug.hub.connections.PartnerConnection;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The state of one stream of one sync run, carried on the Camel exchange from page to page: the one
 * typed object the paged-stream route's steps read. {@link #position} is the cursor as last committed
 * together with the staged rows; the connector's {@link StreamReader} keeps its own state.
 */
public final class StreamSync {

    static final String PROPERTY = "hubStreamSync";

    private final long runId;
    private final PartnerConnection connection;
    private final Map<String, String> credentials;
    private final String stream;
    private final Instant runStartedAt;
    private final StreamDescriptor descriptor;
    private final String apiRoot;
    private StreamCursor position;
    private String cursorKey;
    private boolean hasMore = true;
    private StreamReader reader;
    private long recordsRead;
    private long recordsRejected;

    public StreamSync(long runId, PartnerConnection connection, Map<String, String> credentials, String stream,
                      StreamCursor position, Instant runStartedAt, StreamDescriptor descriptor, String apiRoot) {
        this.runId = runId;
        this.connection = connection;
        this.credentials = credentials;
        this.stream = stream;
        this.position = position;
        this.cursorKey = stream;
        this.runStartedAt = runStartedAt;
        this.descriptor = descriptor;
        this.apiRoot = apiRoot;
    }

    /** The row of {@code ops.sync_cursor} this stream moves: the stream's own, or a backfill's beside it. */
    public String cursorKey() {
        return cursorKey;
    }

    void cursorKey(String key) {
        this.cursorKey = key;
    }

    public long runId() {
        return runId;
    }

    public PartnerConnection connection() {
        return connection;
    }

    public String credential(String name) {
        String value = credentials.get(name);
        if (value == null || value.isBlank()) {
            throw new CredentialsRejectedException("Connection " + connection.id() + " has no credential '" + name + "'");
        }
        return value;
    }

    /** A credential the connection may lack (another one stands in for it); empty when absent. */
    public String optionalCredential(String name) {
        String value = credentials.get(name);
        return value == null ? "" : value;
    }

    public String stream() {
        return stream;
    }

    public Instant runStartedAt() {
        return runStartedAt;
    }

    public StreamCursor position() {
        return position;
    }

    public void committed(StreamCursor next, boolean more) {
        this.position = next;
        this.hasMore = more;
    }

    public boolean hasMore() {
        return hasMore;
    }

    /** A committed page's counts: records read, and records this run had not rejected before. */
    public void counted(long read, long rejected) {
        recordsRead += read;
        recordsRejected += rejected;
    }

    /**
     * Whether this run's records of the stream look like a format the mapping no longer understands:
     * at least {@code minRecords} read and more than {@code maxRejectedShare} of them rejected.
     */
    public boolean mappingBroken(long minRecords, double maxRejectedShare) {
        return recordsRead >= minRecords && recordsRejected > maxRejectedShare * recordsRead;
    }

    public long recordsRead() {
        return recordsRead;
    }

    public long recordsRejected() {
        return recordsRejected;
    }

    /** The system's stream descriptor ({@code routes/<system>.yaml}). */
    public StreamDescriptor descriptor() {
        return descriptor;
    }

    /** This stream's part of the descriptor. */
    public StreamDescriptor.Stream streamDescriptor() {
        return descriptor.stream(stream);
    }

    /** The address the connection's requests are relative to. */
    public String apiRoot() {
        return apiRoot;
    }

    /** A connection's setting, else the descriptor's page size. */
    public int pageSize() {
        int size = connection.intSetting("pageSize", descriptor.paginator().pageSize());
        int max = descriptor.paginator().maxPageSize();
        return max > 0 ? Math.min(max, size) : size;
    }

    /** A connection's {@code overlapMinutes}, else the descriptor's. */
    public Duration overlap() {
        return Duration.ofMinutes(connection.intSetting("overlapMinutes", descriptor.cursor().overlapMinutes()));
    }

    StreamReader reader() {
        return reader;
    }

    void readBy(StreamReader reader) {
        this.reader = reader;
    }
}
