/**
 * fedlodrop's extension API: the interfaces a plugin implements to add a planner, an aggregation rule
 * or a path-loss model, found with {@link java.util.ServiceLoader} (docs/extending.md).
 */
package org.fedlodrop.api;
