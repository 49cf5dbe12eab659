package org.fedlodrop.simulator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * How the house is laid out (docs/architecture.md), checked on every build: no package cycles, the domain
 * never reaches up into the command line, the cluster or the actors, and the extension API depends on nothing
 * of fedlodrop, so that a plugin depends on it alone.
 */
@AnalyzeClasses(packages = "org.fedlodrop", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Every package of every module (org.fedlodrop.MODULE.PACKAGE) is a slice; no two may depend on each other. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("org.fedlodrop.(*).(*)..").should().beFreeOfCycles();

    /** The model and physics: what a run is made of, which knows nothing of how runs are driven. */
    @ArchTest
    static final ArchRule theDomainDoesNotReachTheDrivers = noClasses().that().resideInAnyPackage(
                    "org.fedlodrop.models..", "org.fedlodrop.reports..", "org.fedlodrop.api..",
                    "org.fedlodrop.simulator.scenario..", "org.fedlodrop.simulator.planning..",
                    "org.fedlodrop.simulator.wireless..", "org.fedlodrop.simulator.fleet..",
                    "org.fedlodrop.simulator.learning..", "org.fedlodrop.simulator.kernel..",
                    "org.fedlodrop.simulator.topology..", "org.fedlodrop.simulator.cost..",
                    "org.fedlodrop.simulator.extension..", "org.fedlodrop.simulator.bound..",
                    "org.fedlodrop.simulator.setup..", "org.fedlodrop.simulator.resume..", "org.fedlodrop.models.family..")
            .should().dependOnClassesThat().resideInAnyPackage("org.fedlodrop.simulator.cli..",
                    "org.fedlodrop.simulator.cluster..", "org.fedlodrop.simulator.actors..");

    @ArchTest
    static final ArchRule theApiStandsAlone = noClasses().that().resideInAPackage("org.fedlodrop.api..")
            .should().dependOnClassesThat().resideOutsideOfPackages("org.fedlodrop.api..", "java..");

    /** The modules' one-way dependencies: models and reports never see the simulator. */
    @ArchTest
    static final ArchRule modelsAndReportsDoNotSeeTheSimulator = noClasses().that()
            .resideInAnyPackage("org.fedlodrop.models..", "org.fedlodrop.reports..")
            .should().dependOnClassesThat().resideInAPackage("org.fedlodrop.simulator..");

    /** Model families read and write safetensors through reports; reports never see the models. */
    @ArchTest
    static final ArchRule reportsDoNotSeeTheModels = noClasses().that().resideInAPackage("org.fedlodrop.reports..")
            .should().dependOnClassesThat().resideInAPackage("org.fedlodrop.models..");
}
