#!/usr/bin/env python3
"""Stands in for the kubelets of fake nodes (stdlib only), polling the API server:

- heartbeats every node (status and Lease) so that it stays Ready;
- moves pods bound to a node from Pending to Running and Ready;
- finishes graceful deletions, as a kubelet does once the containers are gone.

Knobs the tests turn:
  node label fake-kubelet/stopped=true   no heartbeats, pods left alone: the node goes NotReady
  node label fake-kubelet/cpu=500m       allocatable cpu (also /memory, /pods); default 4, 16Gi, 110
  image name containing 'crashloop'      container waiting in CrashLoopBackOff, pod not Ready
  image name containing 'imagepullbackoff' container waiting in ImagePullBackOff, pod Pending

Usage: fake_kubelet.py KUBECONFIG [--interval SECONDS]
"""
import base64
import datetime
import json
import os
import ssl
import sys
import tempfile
import time
import urllib.error
import urllib.request

HEARTBEAT_SECONDS = 2.0  # the controller-manager runs with node-monitor-grace-period=10s


def connect(kubeconfig):
    """The server, TLS context and headers of the one-user kubeconfigs testenv.sh writes."""
    fields = {}
    for line in open(kubeconfig):
        key, _, value = line.strip().partition(':')
        if key in ('server', 'certificate-authority-data', 'client-certificate-data', 'client-key-data', 'token'):
            fields[key] = value.strip()
    scratch = tempfile.mkdtemp()

    def spill(name, data):
        path = os.path.join(scratch, name)
        with open(path, 'wb') as f:
            f.write(base64.b64decode(data))
        return path

    context = ssl.create_default_context(cafile=spill('ca.crt', fields['certificate-authority-data']))
    headers = {'User-Agent': 'fake-kubelet'}
    if 'client-certificate-data' in fields:
        context.load_cert_chain(spill('client.crt', fields['client-certificate-data']),
                                spill('client.key', fields['client-key-data']))
    if 'token' in fields:
        headers['Authorization'] = 'Bearer ' + fields['token']
    return fields['server'], context, headers


SERVER, TLS, HEADERS = connect(sys.argv[1])


def api(method, path, body=None, content_type='application/merge-patch+json'):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(SERVER + path, data=data, method=method,
                                     headers={**HEADERS, 'Content-Type': content_type, 'Accept': 'application/json'})
    try:
        with urllib.request.urlopen(request, context=TLS, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code in (404, 409):
            return None
        raise


def stamp(micro=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime('%Y-%m-%dT%H:%M:%S.%fZ' if micro else '%Y-%m-%dT%H:%M:%SZ')


class Kubelets:
    def __init__(self):
        self.last_beat = 0.0
        self.stopped = set()

    def heartbeat(self, node, address, now):
        name, labels = node['metadata']['name'], node['metadata'].get('labels', {})
        since = node['metadata']['creationTimestamp']
        lease = f'/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{name}'
        renew = {'spec': {'renewTime': stamp(micro=True), 'holderIdentity': name}}
        if api('PATCH', lease, renew) is None:
            api('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
                {'apiVersion': 'coordination.k8s.io/v1', 'kind': 'Lease', 'metadata': {'name': name},
                 'spec': {'holderIdentity': name, 'leaseDurationSeconds': 40, 'renewTime': stamp(micro=True)}},
                'application/json')

        def condition(kind, status, reason):
            return {'type': kind, 'status': status, 'reason': reason, 'lastHeartbeatTime': now,
                    'lastTransitionTime': since}

        resources = {'cpu': labels.get('fake-kubelet/cpu', '4'), 'memory': labels.get('fake-kubelet/memory', '16Gi'),
                     'pods': labels.get('fake-kubelet/pods', '110')}
        api('PATCH', f'/api/v1/nodes/{name}/status', {'status': {
            'conditions': [condition('Ready', 'True', 'KubeletReady'),
                           condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
                           condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
                           condition('PIDPressure', 'False', 'KubeletHasSufficientPID')],
            'addresses': [{'type': 'InternalIP', 'address': address}, {'type': 'Hostname', 'address': name}],
            'capacity': resources, 'allocatable': resources,
            'nodeInfo': {'kubeletVersion': 'v1.20.2', 'kubeProxyVersion': 'v1.20.2', 'osImage': 'Fake Linux',
                         'kernelVersion': '0.0.0', 'containerRuntimeVersion': 'fake://1.0', 'operatingSystem': 'linux',
                         'architecture': 'amd64', 'machineID': '', 'systemUUID': '', 'bootID': ''}}})

    def start(self, pod, address, now):
        meta, spec = pod['metadata'], pod['spec']

        def container(c):
            status = {'name': c['name'], 'image': c['image'], 'imageID': '', 'restartCount': 0, 'ready': False,
                      'started': False}
            if 'imagepullbackoff' in c['image']:
                return {**status, 'state': {'waiting': {'reason': 'ImagePullBackOff',
                                                        'message': f'Back-off pulling image "{c["image"]}"'}}}
            if 'crashloop' in c['image']:
                return {**status, 'imageID': 'fake://' + c['image'], 'restartCount': 4,
                        'state': {'waiting': {'reason': 'CrashLoopBackOff',
                                              'message': f'back-off 1m20s restarting failed container={c["name"]}'}},
                        'lastState': {'terminated': {'exitCode': 2, 'reason': 'Error', 'startedAt': now,
                                                     'finishedAt': now}}}
            return {**status, 'imageID': 'fake://' + c['image'], 'containerID': 'fake://' + meta['uid'][:12],
                    'ready': True, 'started': True, 'state': {'running': {'startedAt': now}}}

        statuses = [container(c) for c in spec['containers']]
        ready = all(c['ready'] for c in statuses)
        pulled = not any('imagepullbackoff' in c['image'] for c in spec['containers'])

        def condition(kind, ok):
            extra = {} if ok else {'reason': 'ContainersNotReady', 'message': 'containers with unready status'}
            return {'type': kind, 'status': 'True' if ok else 'False', 'lastTransitionTime': now, **extra}

        api('PATCH', f'/api/v1/namespaces/{meta["namespace"]}/pods/{meta["name"]}/status', {'status': {
            'phase': 'Running' if pulled else 'Pending', 'hostIP': address, 'podIP': address if pulled else None,
            'startTime': now, 'containerStatuses': statuses,
            'conditions': [condition('Initialized', True), condition('Ready', ready),
                           condition('ContainersReady', ready), condition('PodScheduled', True)]}})

    def tick(self):
        now = stamp()
        beat = time.monotonic() - self.last_beat >= HEARTBEAT_SECONDS
        if beat:
            self.last_beat = time.monotonic()
        addresses = {}
        for index, node in enumerate(api('GET', '/api/v1/nodes')['items']):
            name = node['metadata']['name']
            # Shown in status only; nothing ever connects to these.
            addresses[name] = f'127.1.{index // 250}.{index % 250 + 1}'
            if node['metadata'].get('labels', {}).get('fake-kubelet/stopped') == 'true':
                self.stopped.add(name)
                continue
            self.stopped.discard(name)
            if beat:
                self.heartbeat(node, addresses[name], now)
        for pod in api('GET', '/api/v1/pods?fieldSelector=spec.nodeName!%3D')['items']:
            meta, node = pod['metadata'], pod['spec']['nodeName']
            if node in self.stopped or node not in addresses:
                continue
            if meta.get('deletionTimestamp'):
                api('DELETE', f'/api/v1/namespaces/{meta["namespace"]}/pods/{meta["name"]}',
                    {'kind': 'DeleteOptions', 'apiVersion': 'v1', 'gracePeriodSeconds': 0,
                     'preconditions': {'uid': meta['uid']}}, 'application/json')
            elif pod.get('status', {}).get('phase') == 'Pending' and not pod['status'].get('containerStatuses'):
                self.start(pod, addresses[node], now)


def main():
    interval = float(sys.argv[sys.argv.index('--interval') + 1]) if '--interval' in sys.argv else 0.5
    kubelets = Kubelets()
    while True:
        try:
            kubelets.tick()
        except Exception as error:  # the API server restarting, conflicts: say so and go on
            print(f'fake-kubelet: {error!r}', file=sys.stderr, flush=True)
        time.sleep(interval)


if __name__ == '__main__':
    main()
