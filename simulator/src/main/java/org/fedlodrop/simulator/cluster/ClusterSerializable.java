package org.fedlodrop.simulator.cluster;

/**
 * Marks the messages that travel between cluster members; the cluster configuration binds it to
 * Pekko's Jackson CBOR serializer, so these are records of plain values, byte arrays and actor refs.
 */
public interface ClusterSerializable {
}
