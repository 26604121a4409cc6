package ru.svoykrug.hub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import ru.svoykrug.hub.bench.BenchCommand;
import ru.svoykrug.hub.connections.CredentialVault;

import java.util.Arrays;

/**
 * The Svoy Krug hub. With no arguments it serves; {@code import-sales} and {@code nightly} run one job
 * against its database, {@code bench ...} runs a benchmark and {@code new-master-key} prints a fresh
 * Tink keyset for {@code HUB_MASTER_KEY}.
 */
@SpringBootApplication
public class HubApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("bench")) {
            System.exit(BenchCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && (args[0].equals("import-sales") || args[0].equals("nightly"))) {
            System.exit(HubCommands.run(args[0], Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("new-master-key")) {
            System.out.println(CredentialVault.newKeysetJson());
            return;
        }
        SpringApplication.run(HubApplication.class, args);
    }
}
