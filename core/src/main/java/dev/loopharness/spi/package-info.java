/**
 * The service provider interface of loopharness: what a test harness (the JUnit extension, or another one)
 * needs from a loop it creates and owns, and nothing an application needs. For test harnesses; not for
 * application code: use {@link dev.loopharness} there.
 *
 * <ul>
 *   <li>{@link dev.loopharness.spi.OwnedLoop}: a loop created for a harness, with the hooks its owner alone
 *       uses: the ownership guard, the close as owner, attribution tags, the running activity, unretrieved
 *       failures, the timed run's escape hatches and the undeclared-completion policy.
 *   <li>{@link dev.loopharness.spi.ExploredSchedule}: a seeded perturbation of a loop's schedule, for
 *       exploring interleavings, with the decisions it took.
 *   <li>{@link dev.loopharness.spi.Diagnostics}: the stack frames a harness prints in its reports.
 * </ul>
 *
 * <p><b>Compatibility.</b> Within a minor version, these types keep their source and binary compatibility for
 * callers; methods may be added to the interfaces in any release, so implement them only as this library does
 * (the interfaces are implemented by the library alone). The wording of diagnostic texts may change in any
 * release.
 *
 * @since 0.1.0
 */
package dev.loopharness.spi;
