package ru.svoykrug.hub.filedrops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import ru.svoykrug.hub.imports.ImportReport;
import ru.svoykrug.hub.imports.SalesFileImport;
import ru.svoykrug.hub.loyalty.DaytimePoints;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One dropped file: the same import as {@code import-sales} ({@link SalesFileImport}), then the file moves
 * to {@code done/} (read, even with bad rows, which the report lists) or {@code failed/} (not a sales file,
 * or not one row good), with {@code <name>.report.json} beside it: counts, and each bad row by its line,
 * columns and reason, never its values. Then the daytime points of what it changed.
 */
@Component
class FileDropImport {

    private static final Logger log = LoggerFactory.getLogger(FileDropImport.class);

    private final SalesFileImport importer;
    private final DaytimePoints daytime;
    private final JsonMapper json;
    private final Clock clock;

    FileDropImport(SalesFileImport importer, DaytimePoints daytime, JsonMapper json, Clock clock) {
        this.importer = importer;
        this.daytime = daytime;
        this.json = json;
        this.clock = clock;
    }

    /** Imports and moves the file; returns where it went. */
    Path process(String connectionId, Path file) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("connectionId", connectionId);
        report.put("file", file.getFileName().toString());
        report.put("importedAt", clock.instant().toString());
        boolean good;
        try {
            ImportReport r = importer.importFile(connectionId, file);
            good = r.rows() == 0 || r.imported() > 0;
            report.put("rows", r.rows());
            report.put("imported", r.imported());
            report.put("changed", r.changed());
            report.put("badRows", r.badRows());
        } catch (IOException | RuntimeException e) {
            good = false;
            // our own messages name the file and the expected header; never a line's values
            report.put("error", e instanceof IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName());
        }
        Path moved = move(file, good ? "done" : "failed");
        try {
            // written beside, then renamed: whoever sees the report sees it whole
            Path reportFile = moved.resolveSibling(moved.getFileName() + ".report.json");
            Path writing = moved.resolveSibling(moved.getFileName() + ".report.json.part");
            Files.writeString(writing, json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            Files.move(writing, reportFile, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info("Connection {}: dropped file {} imported, moved to {}", connectionId, file.getFileName(), good ? "done" : "failed");
        if (good) {
            try {
                daytime.post(connectionId);
            } catch (RuntimeException e) {
                log.warn("Connection {}: daytime points not posted after a file drop: {}", connectionId, e.toString());
            }
        }
        return moved;
    }

    private static Path move(Path file, String folder) {
        try {
            Path dir = Files.createDirectories(file.resolveSibling(folder));
            Path target = dir.resolve(file.getFileName());
            for (int n = 2; Files.exists(target); n++) {
                target = dir.resolve(file.getFileName() + "." + n);
            }
            return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
