package ru.svoykrug.hub.nightly;

/** What a step of the night read and wrote, as ops see it per step (read / write counts). */
record StepCounts(long read, long written) {

    static StepCounts read(long read) {
        return new StepCounts(read, 0);
    }

    static StepCounts written(long written) {
        return new StepCounts(0, written);
    }
}
