package org.fpnas.embedded;

/**
 * Decides whether a user name and password are valid; the registry's source of truth for HTTP basic
 * auth.
 */
interface CredentialCheck {

  /**
   * True when the password is the user's, false when it is not.
   *
   * @throws IllegalStateException when it cannot tell (the source of truth cannot be reached)
   */
  boolean accepts(String user, String password);
}
