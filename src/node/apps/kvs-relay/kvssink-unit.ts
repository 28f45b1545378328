import { RUNTIME_COMMAND } from '../../config/files.js';
import { unitText } from '../../config/systemd.js';

/** The unit that runs `elasticrtc-node kvssink-install`. */
export const KVSSINK_INSTALL_UNIT = 'elasticrtc-kvssink-install.service';

/**
 * The install unit's text: a oneshot that stays active once kvssink is installed, and on a failed
 * run starts again a minute later, without end (StartLimitIntervalSec=0), like every unit of the node.
 *
 * It must never hold up the node's boot:
 * - After=cloud-final.service: it starts once user data (`elasticrtc-node boot`, which signals
 *   CloudFormation) has ended, and never competes with boot for apt's lock. So boot must start it
 *   with `systemctl start --no-block`: a blocking start from inside user data would wait for user
 *   data to end.
 * - DefaultDependencies=no: multi-user.target wants it (later boots run it again, which ends at
 *   once when kvssink is there), and would otherwise order itself after it, and so after
 *   cloud-final.service, which Ubuntu orders after multi-user.target: a cycle. The dependencies a
 *   service has by default are restated instead (sysinit, basic, stopped at shutdown).
 * - TimeoutStartSec: each program has its own time limit; this one bounds a run as a whole
 *   (a hung S3 connection included).
 * - Nice=10: the compiler yields to the room server and the relay running beside it.
 *
 * unitText writes the [Unit] and [Service] lines it knows (and checks the command's words); the
 * lines of a restarted oneshot are added to its sections here.
 */
export function kvssinkInstallUnitText(envFile?: string): string {
  const base = unitText({
    name: KVSSINK_INSTALL_UNIT,
    description: "elasticrtc kvs-relay: install GStreamer's kvssink (the cluster bucket's copy, else a build from pinned sources)",
    after: ['sysinit.target', 'basic.target', 'network-online.target', 'cloud-final.service'],
    requires: ['sysinit.target'],
    wants: ['network-online.target'],
    type: 'oneshot',
    execStart: [...RUNTIME_COMMAND, 'kvssink-install', ...(envFile === undefined ? [] : ['--env', envFile])],
  });
  const [unit, service, ...rest] = base.trimEnd().split('\n\n');
  if (!unit?.startsWith('[Unit]\n') || !service?.startsWith('[Service]\n') || rest.length) throw new Error(`unexpected unit layout from unitText:\n${base}`);
  return [
    [unit, 'DefaultDependencies=no', 'Conflicts=shutdown.target', 'Before=shutdown.target', 'StartLimitIntervalSec=0'].join('\n'),
    [service, 'RemainAfterExit=yes', 'Restart=on-failure', 'RestartSec=60', 'TimeoutStartSec=90min', 'Nice=10'].join('\n'),
    ['[Install]', 'WantedBy=multi-user.target'].join('\n'),
  ].join('\n\n') + '\n';
}
