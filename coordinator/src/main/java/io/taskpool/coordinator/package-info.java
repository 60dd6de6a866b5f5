/**
 * The coordinator: keeps each host's pool of worker processes at the right size. Empty until its
 * issue lands; the module exists so the build layout is final.
 */
package io.taskpool.coordinator;
