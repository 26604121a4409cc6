package ru.svoykrug.hub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-shot commands as an operator types them, against a hub data directory of their own. */
@ExtendWith(OutputCaptureExtension.class)
class HubCommandsTest {

    @TempDir
    Path dir;

    @Test
    void importSalesThenANightFromTheCommandLine(CapturedOutput output) throws Exception {
        Path file = dir.resolve("history.csv");
        Files.writeString(file, "customer_ref,phone,occurred_at,amount\nc1,,2025-01-10,100.00\nc1,,2025-02-10,250.00\nc2,,bad,1\n");
        String[] hub = {"--hub.data-dir=" + dir.resolve("data"), "--hub.partners[0].id=history-cli",
                "--hub.partners[0].partner=History", "--hub.partners[0].system=file"};

        int imported = HubCommands.run("import-sales", concat(new String[]{"--connection", "history-cli", "--file", file.toString()}, hub));

        assertThat(imported).as("some rows were rejected").isEqualTo(1);
        assertThat(output.getOut()).contains("rows: 3, imported: 2, changed in staging: 3, rejected: 1")
                .contains("line 4: occurred_at is not an ISO date or date-time");

        int night = HubCommands.run("nightly", concat(new String[]{"--date", "2025-03-01"}, hub));

        assertThat(night).isZero();
        assertThat(output.getOut()).contains("night of 2025-03-01: COMPLETED").contains("points: COMPLETED");
    }

    @Test
    void wrongUsageSaysHowItIsUsed(CapturedOutput output) throws Exception {
        assertThat(HubCommands.run("import-sales", new String[]{"--connection", "x"})).isEqualTo(2);
        assertThat(output.getErr()).contains("usage: hub.jar import-sales --connection <id> --file sales.csv");
        assertThat(HubCommands.run("nightly", new String[]{"--date", "25.11.2026"})).isEqualTo(2);
        assertThat(output.getErr()).contains("--date must be YYYY-MM-DD");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
