import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../functions/shells/settings/admission-settings.js';

describe('loadSettings', () => {
  it('defaults to a minimum of 3 replicas and no cluster name', () => {
    expect(loadSettings({})).toEqual({
      minReplicas: 3,
      clusterName: undefined,
      policyFile: undefined,
      smsQueueName: 'sms-notifications',
    });
  });

  it('reads MIN_REPLICAS and CLUSTER_NAME, trimming blanks', () => {
    expect(loadSettings({ MIN_REPLICAS: ' 5 ', CLUSTER_NAME: 'prod-aks' })).toMatchObject({
      minReplicas: 5,
      clusterName: 'prod-aks',
    });
  });

  it('treats empty settings as unset', () => {
    expect(loadSettings({ MIN_REPLICAS: '', CLUSTER_NAME: '  ' })).toMatchObject({
      minReplicas: 3,
      clusterName: undefined,
    });
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadSettings({}))).toBe(true);
  });

  it.each([
    ['a word', 'three'],
    ['zero', '0'],
    ['a fraction', '2.5'],
    ['a negative number', '-3'],
    ['more than 1000', '1001'],
  ])('refuses MIN_REPLICAS set to %s, naming the setting and not the value', (_what, value) => {
    const load = () => loadSettings({ MIN_REPLICAS: value });
    expect(load).toThrow(SettingsError);
    // The whole message, so nothing else (such as the value) can be in it.
    expect(load).toThrow(/^invalid app settings: MIN_REPLICAS must be a whole number from 1 to 1000$/);
  });

  it('refuses a cluster name that would not be safe in a text, without echoing it', () => {
    const secretLooking = 'prod aks;token=abc123';
    expect(() => loadSettings({ CLUSTER_NAME: secretLooking })).toThrow(
      /^invalid app settings: CLUSTER_NAME must be 1-63 letters/,
    );
    expect(() => loadSettings({ CLUSTER_NAME: secretLooking })).not.toThrow(/abc123/);
  });

  it('names every bad setting at once', () => {
    expect(() => loadSettings({ MIN_REPLICAS: 'x', CLUSTER_NAME: '-bad' })).toThrow(
      /MIN_REPLICAS must be .*; CLUSTER_NAME must be/,
    );
  });
});
