/** Channel models: large-scale path loss. */
package org.fedlodrop.api.channel;
