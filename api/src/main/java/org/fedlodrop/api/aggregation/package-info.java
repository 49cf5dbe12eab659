/** Aggregation rules: the global adapter and the devices' masked updates in, the new global adapter out. */
package org.fedlodrop.api.aggregation;
