/** MBConv search spaces and the analytic cost (multiply-adds, parameters) of their networks. */
package org.fpnas.core.mbconv;
