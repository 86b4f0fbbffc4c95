// deploy/policies/pod-security-baseline.yaml: each rule denies a Pod, and a Deployment
// whose template is that Pod, naming the container (or volume, port, field), and
// allows the compliant forms.
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import {
  containerWith,
  decideCreate,
  goodContainer,
  goodPodSpec,
  loadShippedPolicy,
  type PodSpec,
  podOf,
  securityWith,
  shippedPolicyText,
  specWith,
  violationsOfBoth,
} from './shipped-policy.js';

const policy = loadShippedPolicy('pod-security-baseline.yaml');
const podSecurity = (fields: PodSpec) => ({
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
  ...fields,
});
const apparmorKey = 'container.apparmor.security.beta.kubernetes.io/web';
const seLinuxTypes = 'container_t, container_init_t, container_kvm_t or container_engine_t';
const safeSysctls = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
].join(', ');

const denied: [string, PodSpec, string, Record<string, string>?][] = [
  [
    'host namespaces',
    specWith({ hostNetwork: true, hostPID: true }),
    'the pod shares the host namespaces hostNetwork, hostPID; unset them or set them to false',
  ],
  [
    'a privileged container',
    containerWith(securityWith({ privileged: true })),
    'container web: securityContext.privileged must be unset or false',
  ],
  [
    'a privileged init container',
    specWith({ initContainers: [{ name: 'setup', image: 'busybox:1.36', securityContext: { privileged: true } }] }),
    'container setup: securityContext.privileged must be unset or false',
  ],
  [
    'capabilities outside the baseline list',
    containerWith({ securityContext: { capabilities: { add: ['CHOWN', 'NET_ADMIN', 'SYS_TIME'] } } }),
    'container web adds the capabilities NET_ADMIN, SYS_TIME; the baseline allows only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT',
  ],
  [
    'a hostPath volume',
    specWith({ volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }] }),
    'volume docker: hostPath volumes are not allowed',
  ],
  [
    'a host port',
    containerWith({ ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }] }),
    'container web uses the host ports 9090; remove hostPort',
  ],
  [
    'an unconfined AppArmor profile on the pod',
    specWith({ securityContext: podSecurity({ appArmorProfile: { type: 'Unconfined' } }) }),
    'the pod sets appArmorProfile.type Unconfined; use RuntimeDefault or Localhost',
  ],
  [
    'an unconfined AppArmor profile on a container',
    containerWith(securityWith({ appArmorProfile: { type: 'Unconfined' } })),
    'container web: appArmorProfile.type must be RuntimeDefault or Localhost',
  ],
  [
    'an unconfined AppArmor annotation',
    goodPodSpec(),
    'container web: the AppArmor annotation must be runtime/default or localhost/<profile>',
    { [apparmorKey]: 'unconfined' },
  ],
  [
    'a custom SELinux type on a container',
    containerWith(securityWith({ seLinuxOptions: { type: 'spc_t' } })),
    `container web: seLinuxOptions may set only type, to ${seLinuxTypes}`,
  ],
  [
    'an SELinux user on the pod',
    specWith({ securityContext: podSecurity({ seLinuxOptions: { user: 'system_u' } }) }),
    `the pod's seLinuxOptions may set only type, to ${seLinuxTypes}`,
  ],
  [
    'an unmasked /proc',
    containerWith(securityWith({ procMount: 'Unmasked' })),
    'container web: securityContext.procMount must be unset or Default',
  ],
  [
    'an unconfined seccomp profile on the pod',
    specWith({ securityContext: podSecurity({ seccompProfile: { type: 'Unconfined' } }) }),
    'the pod sets seccompProfile.type Unconfined; use RuntimeDefault or Localhost',
  ],
  [
    'an unconfined seccomp profile on a container',
    containerWith(securityWith({ seccompProfile: { type: 'Unconfined' } })),
    'container web: seccompProfile.type must not be Unconfined',
  ],
  [
    'an unsafe sysctl',
    specWith({
      securityContext: podSecurity({
        sysctls: [
          { name: 'net.ipv4.tcp_syncookies', value: '1' },
          { name: 'kernel.msgmax', value: '65536' },
        ],
      }),
    }),
    `the pod sets the unsafe sysctls kernel.msgmax; only ${safeSysctls} are allowed`,
  ],
  [
    'a Windows HostProcess container',
    containerWith(securityWith({ windowsOptions: { hostProcess: true } })),
    'container web: windowsOptions.hostProcess must be unset or false',
  ],
  [
    'a Windows HostProcess pod',
    specWith({ securityContext: podSecurity({ windowsOptions: { hostProcess: true } }) }),
    'the pod sets windowsOptions.hostProcess; HostProcess containers are not allowed',
  ],
];

const allowed: [string, PodSpec, Record<string, string>?][] = [
  ['the compliant pod', goodPodSpec()],
  ['host namespaces set to false', specWith({ hostNetwork: false, hostPID: false, hostIPC: false })],
  ['privileged: false', containerWith(securityWith({ privileged: false }))],
  ['capabilities from the baseline list', containerWith({ securityContext: { capabilities: { add: ['CHOWN'] } } })],
  ['a container port without a host port', containerWith({ ports: [{ containerPort: 80, hostPort: 0 }] })],
  ['a Localhost AppArmor profile', containerWith(securityWith({ appArmorProfile: { type: 'Localhost' } }))],
  ['a localhost AppArmor annotation', goodPodSpec(), { [apparmorKey]: 'localhost/web-profile' }],
  ['the SELinux type container_t', containerWith(securityWith({ seLinuxOptions: { type: 'container_t' } }))],
  ['procMount Default', containerWith(securityWith({ procMount: 'Default' }))],
  ['a Localhost seccomp profile', containerWith(securityWith({ seccompProfile: { type: 'Localhost' } }))],
  ['a safe sysctl', specWith({ securityContext: podSecurity({ sysctls: [{ name: 'kernel.shm_rmid_forced' }] }) })],
  ['hostProcess: false', containerWith(securityWith({ windowsOptions: { hostProcess: false } }))],
];

describe('the Pod Security baseline policy', () => {
  it.each(denied)('denies %s, in a Pod and in a Deployment, naming it', (_what, spec, detail, annotations) => {
    const { pod, deployment } = violationsOfBoth(policy, spec, annotations);
    expect(pod).toMatchObject({ allowed: false, violations: [`pod shop/web: ${detail}`] });
    expect(deployment).toMatchObject({ allowed: false, violations: [`deployment shop/web: ${detail}`] });
  });

  it.each(allowed)('allows %s, in a Pod and in a Deployment', (_what, spec, annotations) => {
    const { pod, deployment } = violationsOfBoth(policy, spec, annotations);
    expect(pod.violations).toBeUndefined();
    expect(pod.allowed).toBe(true);
    expect(deployment.allowed).toBe(true);
  });

  it('names every offending container, init and ephemeral ones included', () => {
    const privileged = { image: 'busybox:1.36', securityContext: { privileged: true } };
    const spec = containerWith(securityWith({ privileged: true }), { name: 'sidecar', ...privileged });
    spec.initContainers = [{ name: 'setup', ...privileged }];
    spec.ephemeralContainers = [{ name: 'debugger', ...privileged }];
    expect(decideCreate(policy, 'Pod', podOf(spec)).violations).toEqual([
      'pod shop/web: container web, container sidecar, container setup, container debugger: securityContext.privileged must be unset or false',
    ]);
  });

  it('allows the host ports listed in params.allowedHostPorts', () => {
    const text = shippedPolicyText('pod-security-baseline.yaml').replace(
      'allowedHostPorts: []',
      'allowedHostPorts: [9090]',
    );
    const { policy: withPort } = parsePolicyText('baseline.yaml', text);
    const spec = containerWith({ ports: [{ containerPort: 9090, hostPort: 9090 }] });
    expect(decideCreate(withPort, 'Pod', podOf(spec)).allowed).toBe(true);
    expect(decideCreate(policy, 'Pod', podOf(spec)).allowed).toBe(false);
  });

  it('checks the pod template of a CronJob too', () => {
    const spec = { ...goodPodSpec(), containers: [{ ...goodContainer(), securityContext: { privileged: true } }] };
    const cronJob = { spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec } } } } };
    expect(decideCreate(policy, 'CronJob', cronJob).violations).toEqual([
      'cronjob shop/web: container web: securityContext.privileged must be unset or false',
    ]);
  });
});
