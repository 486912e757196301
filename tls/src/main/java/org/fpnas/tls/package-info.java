/**
 * TLS for fpnas' own servers (the embedded broker and registry, the metrics endpoint, the
 * dashboard): a server's certificate and key read from PEM files ({@link
 * org.fpnas.tls.ServerCertificate}), and a local certificate authority that makes them for a
 * machine without certificates of its own ({@link org.fpnas.tls.LocalCertificateAuthority}).
 */
package org.fpnas.tls;
