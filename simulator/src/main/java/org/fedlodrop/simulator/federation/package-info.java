/**
 * Buffered asynchronous federation (docs/buffered.md): which devices may start a job, the band the jobs in flight
 * hold, the buffer of updates and when the server steps. Plain values; the base station actor drives it.
 */
package org.fedlodrop.simulator.federation;
