package org.fpnas.admin;

/**
 * Decides whether a user name and password are valid: the source of truth of the registry's HTTP
 * basic authentication and of the dashboard's login.
 */
public interface CredentialCheck {

  /**
   * True when the password is the user's, false when it is not.
   *
   * @throws IllegalStateException when it cannot tell (the source of truth cannot be reached)
   */
  boolean accepts(String user, String password);
}
