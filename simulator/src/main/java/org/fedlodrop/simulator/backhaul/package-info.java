/**
 * The wired network behind the cells: a weighted graph of edge servers, routers and the cloud (JGraphT),
 * routes, and how long transfers that share links take (docs/hierarchy.md). Plain values only.
 */
package org.fedlodrop.simulator.backhaul;
