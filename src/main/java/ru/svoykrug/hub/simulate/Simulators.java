package ru.svoykrug.hub.simulate;

import ru.svoykrug.hub.simulate.amocrm.AmocrmSimulator;
import ru.svoykrug.hub.simulate.bitrix24.Bitrix24Simulator;
import ru.svoykrug.hub.simulate.iiko.IikoSimulator;
import ru.svoykrug.hub.simulate.kit.Simulator;
import ru.svoykrug.hub.simulate.kit.Simulator.Kind;
import ru.svoykrug.hub.simulate.kit.Simulator.Spec;
import ru.svoykrug.hub.simulate.onec.OnecSimulator;
import ru.svoykrug.hub.simulate.renovatio.RenovatioSimulator;
import ru.svoykrug.hub.simulate.yclients.YclientsSimulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every simulated system, by its name: a simulator of a new system is one line here. */
public final class Simulators {

    private static final Map<String, Kind> KINDS = index(List.of(
            YclientsSimulator.KIND,
            OnecSimulator.KIND,
            RenovatioSimulator.KIND,
            AmocrmSimulator.KIND,
            IikoSimulator.KIND,
            Bitrix24Simulator.KIND));

    private Simulators() {
    }

    /** The system names there is a simulator of, in a fixed order. */
    public static Set<String> systems() {
        return KINDS.keySet();
    }

    /** Starts the simulator of {@code system}; an unknown name is refused naming the known ones. */
    public static Simulator start(String system, Spec spec) {
        Kind kind = KINDS.get(system);
        if (kind == null) {
            throw new IllegalArgumentException("unknown system '" + system + "'; known: " + String.join(", ", KINDS.keySet()));
        }
        return kind.start(spec);
    }

    private static Map<String, Kind> index(List<Kind> kinds) {
        Map<String, Kind> byName = new LinkedHashMap<>();
        kinds.forEach(k -> byName.put(k.system(), k));
        return byName;
    }
}
