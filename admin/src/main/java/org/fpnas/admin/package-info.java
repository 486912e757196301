/**
 * Team administration on a secure cluster: the ACLs of every principal, SCRAM users, quotas and
 * team records.
 */
package org.fpnas.admin;
