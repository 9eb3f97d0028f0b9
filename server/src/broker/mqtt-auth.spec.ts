import { createHash, pbkdf2Sync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AclFile, MqttAuthFileError, PasswordFile, matches } from './mqtt-auth';

/** A `$7$` line as `mosquitto_passwd` (Mosquitto 2) writes it: PBKDF2-HMAC-SHA512, 12-byte salt. */
function pbkdf2Line(user: string, password: string, iterations = 101): string {
  const salt = Buffer.from('0123456789ab');
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return `${user}:$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** A `$6$` line as Mosquitto 1.x (`-H sha512`) writes it: SHA-512 over password then salt. */
function sha512Line(user: string, password: string): string {
  const salt = Buffer.from('saltsaltsalt');
  const hash = createHash('sha512').update(password).update(salt).digest();
  return `${user}:$6$${salt.toString('base64')}$${hash.toString('base64')}`;
}

describe(PasswordFile.name, () => {
  const sut = PasswordFile.parse(
    ['# gateways', pbkdf2Line('gw-a', 'secret-a'), '', sha512Line('gw-b', 'secret-b')].join('\n'),
    'passwd',
  );

  it('accepts the right password for $7$ and $6$ hashes', () => {
    expect(sut.size).toBe(2);
    expect(sut.verify('gw-a', 'secret-a')).toBe(true);
    expect(sut.verify('gw-b', 'secret-b')).toBe(true);
  });

  it('refuses a wrong password, another user’s password and an unknown user', () => {
    expect(sut.verify('gw-a', 'secret-b')).toBe(false);
    expect(sut.verify('gw-b', '')).toBe(false);
    expect(sut.verify('nobody', 'secret-a')).toBe(false);
  });

  it('names every bad line with file and line number in one error', () => {
    const text = ['gw-a', 'gw-b:plaintext', pbkdf2Line('gw-c', 'x'), pbkdf2Line('gw-c', 'y')].join('\n');
    let error: unknown;
    try {
      PasswordFile.parse(text, '/etc/hazard/passwd');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MqttAuthFileError);
    const message = (error as Error).message;
    expect(message).toContain('/etc/hazard/passwd:1: expected "user:hash"');
    expect(message).toContain('/etc/hazard/passwd:2: user "gw-b": not a Mosquitto');
    expect(message).toContain('/etc/hazard/passwd:4: user "gw-c" appears twice');
  });
});

describe(AclFile.name, () => {
  const acl = AclFile.parse(readFileSync(resolve(__dirname, '../../../deploy/mosquitto/acl'), 'utf8'), 'acl');

  it.each([
    ['gw-bjpc-tf01', 'hazard/v1/bjpc/tf01/telemetry', true],
    ['gw-bjpc-tf01', 'hazard/v1/bjpc/tf01/status', true],
    ['gw-bjpc-tf01', 'hazard/v1/bjca/cl01/telemetry', false],
    ['gw-bjca-cl01', 'hazard/v1/bjca/cl01/telemetry', true],
    ['gw-bjca-cl01', 'hazard/v1/bjpc/tf01/telemetry', false],
    ['gw-bjpc-tf01', 'spBv1.0/BJPC/NDATA/edge1', true],
    ['gw-bjpc-tf01', 'spBv1.0/STATE/hazard-host', false],
    ['viewer', 'hazard/v1/bjpc/tf01/telemetry', false],
    ['hazard-server', 'hazard/v1/bjpc/tf01/telemetry', false],
    ['hazard-server', 'spBv1.0/STATE/hazard-host', true],
  ])('the shipped ACL lets %s publish to %s: %s', (user, topic, allowed) => {
    expect(acl.canPublish(user, 'client-1', topic)).toBe(allowed);
  });

  it.each([
    ['hazard-server', 'hazard/v1/#', true],
    ['hazard-server', 'spBv1.0/#', true],
    ['viewer', 'hazard/v1/+/+/status', true],
    ['viewer', 'hazard/v1/#', false],
    ['gw-bjpc-tf01', 'spBv1.0/BJPC/NCMD/edge1', true],
    ['gw-bjpc-tf01', 'hazard/v1/#', false],
  ])('the shipped ACL lets %s subscribe to %s: %s', (user, filter, allowed) => {
    expect(acl.canSubscribe(user, 'client-1', filter)).toBe(allowed);
  });

  it('denies anonymous clients everything when no rule precedes the first user', () => {
    expect(acl.canPublish(null, 'anon', 'hazard/v1/bjpc/tf01/telemetry')).toBe(false);
    expect(acl.canSubscribe(null, 'anon', 'hazard/v1/#')).toBe(false);
  });

  it('substitutes %u and %c in patterns, and a matching deny wins', () => {
    const sut = AclFile.parse(
      ['pattern write hazard/v1/%u/#', 'user gw-x', 'topic deny hazard/v1/gw-x/secret/#', 'pattern read cmd/%c'].join(
        '\n',
      ),
      'acl',
    );
    expect(sut.canPublish('gw-x', 'c1', 'hazard/v1/gw-x/s1/telemetry')).toBe(true);
    expect(sut.canPublish('gw-y', 'c1', 'hazard/v1/gw-x/s1/telemetry')).toBe(false);
    expect(sut.canPublish('gw-x', 'c1', 'hazard/v1/gw-x/secret/telemetry')).toBe(false);
    expect(sut.canSubscribe('gw-x', 'c1', 'cmd/c1')).toBe(true);
    expect(sut.canSubscribe('gw-x', 'c1', 'cmd/c2')).toBe(false);
    // Patterns need a username: an anonymous client gets none of them.
    expect(sut.canPublish(null, 'c1', 'hazard/v1//s1/telemetry')).toBe(false);
  });

  it('names every bad line with file and line number in one error', () => {
    expect(() =>
      AclFile.parse(['user', 'topic sometimes a/b', 'topic a/#/b', 'subscribe a/b'].join('\n'), 'deploy/acl'),
    ).toThrow(
      /deploy\/acl:1: expected "user <name>"[\s\S]*deploy\/acl:2: access must be[\s\S]*deploy\/acl:3: "#" must be the last level[\s\S]*deploy\/acl:4: unknown keyword "subscribe"/,
    );
  });
});

describe(matches.name, () => {
  it.each([
    ['a/+/c', 'a/b/c', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/+', 'a/b/c', false],
    ['a/b', 'a/b/c', false],
    ['#', '$SYS/broker/load', false],
    ['+/broker', '$SYS/broker', false],
    ['$SYS/#', '$SYS/broker/load', true],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(matches(filter.split('/'), topic.split('/'))).toBe(expected);
  });
});
