/** Planners: a cell's problem in, each device's dropout rate and radio resources out. */
package org.fedlodrop.api.planning;
