'use strict';
// The settings of a `--client-config` file, the Java properties file that the fpnas services take
// (`fpnas infra --secure` writes one per principal), turned into KafkaJS and registry options.

const fs = require('fs');
const properties = require('dot-properties');

const MECHANISMS = {
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
  PLAIN: 'plain',
};
const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const KNOWN = new Set([
  'security.protocol',
  'sasl.mechanism',
  'sasl.jaas.config',
  'basic.auth.credentials.source',
  'basic.auth.user.info',
]);

/**
 * Reads `file` and returns `{kafka, registryAuth}`: KafkaJS client options (`ssl`, `sasl`) and the
 * registry's basic-auth credentials (`{username, password}`, or undefined without them). A setting
 * this evaluator does not apply is refused rather than ignored, since ignoring a security setting
 * would connect with less than the file asks for.
 */
function readClientConfig(file) {
  const settings = properties.parse(fs.readFileSync(file, 'utf8'));
  const fail = (problem) => {
    throw new Error(`client config ${file}: ${problem}`);
  };
  for (const key of Object.keys(settings)) {
    if (!KNOWN.has(key)) {
      fail(`setting '${key}' is not supported (supported: ${[...KNOWN].join(', ')})`);
    }
  }
  const protocol = settings['security.protocol'] || 'PLAINTEXT';
  if (!PROTOCOLS.includes(protocol)) {
    fail(`security.protocol must be one of ${PROTOCOLS.join(', ')}, got '${protocol}'`);
  }
  const kafka = { ssl: protocol.endsWith('SSL') };
  let login;
  if (protocol.startsWith('SASL_')) {
    const name = settings['sasl.mechanism'] || 'GSSAPI';
    const mechanism = MECHANISMS[name];
    if (!mechanism) {
      fail(`sasl.mechanism must be one of ${Object.keys(MECHANISMS).join(', ')}, got '${name}'`);
    }
    login = jaasLogin(settings['sasl.jaas.config'], fail);
    kafka.sasl = { mechanism, ...login };
  }
  return { kafka, registryAuth: registryAuth(settings, login, fail) };
}

/** User name and password of a JAAS line: `... required username="U" password="P";`. */
function jaasLogin(jaas, fail) {
  if (!jaas) {
    fail('a SASL security.protocol needs sasl.jaas.config with username and password');
  }
  const value = (name) => {
    const match = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(jaas);
    if (!match) {
      fail(`sasl.jaas.config has no ${name}="..."`);
    }
    return match[1];
  };
  return { username: value('username'), password: value('password') };
}

/** Confluent's names: USER_INFO (default) reads basic.auth.user.info, SASL_INHERIT the login. */
function registryAuth(settings, login, fail) {
  const source = settings['basic.auth.credentials.source'] || 'USER_INFO';
  if (source === 'SASL_INHERIT') {
    if (!login) {
      fail('basic.auth.credentials.source=SASL_INHERIT needs a SASL security.protocol');
    }
    return { ...login };
  }
  if (source !== 'USER_INFO') {
    fail(`basic.auth.credentials.source must be USER_INFO or SASL_INHERIT, got '${source}'`);
  }
  const userInfo = settings['basic.auth.user.info'];
  if (userInfo === undefined) {
    return undefined;
  }
  const colon = userInfo.indexOf(':');
  if (colon <= 0) {
    fail('basic.auth.user.info must be user:password');
  }
  return { username: userInfo.slice(0, colon), password: userInfo.slice(colon + 1) };
}

module.exports = { readClientConfig };
