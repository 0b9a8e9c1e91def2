package org.xmppcm.e2e.fault;

/**
 * The CM as a process of its own for the fault suite: the product's {@link org.xmppcm.cm.Main} unchanged (its
 * settings file, its SIGTERM handling, its exit statuses), plus a watch that ends it when the parent's pipe on
 * stdin closes, so that a killed test run leaves no CM behind.
 */
public final class CmProcessMain {
    private CmProcessMain() {
    }

    public static void main(String[] args) {
        ParentWatch.haltWhenStdinCloses(98);
        org.xmppcm.cm.Main.main(args);
    }
}
