"""EMULATOR CODE (not product code): Route 53 health checks and DNS answers for moto 5.2.5.

moto's Route53 response class answers a REST action by calling its snake_case
method (GetHealthCheckStatus -> Route53.get_health_check_status); the paths it
serves are the url_paths of moto.route53.urls, read when the server builds the
Route 53 app on its first Route 53 request. moto 5.2.5 drops a health check's
AlarmIdentifier and InsufficientDataHealthStatus, reports every health check
healthy in GetHealthCheckStatus, and has no TestDNSAnswer (no path, no method).

AWS behaviour reproduced, with its sources:

1. CLOUDWATCH_METRIC health checks (API reference, HealthCheckConfig, Type):
   "If the state of the alarm is OK, the health check is considered healthy.
   If the state is ALARM, the health check is considered unhealthy. If
   CloudWatch doesn't have sufficient data to determine whether the state is
   OK or ALARM, the health check status depends on the setting for
   InsufficientDataHealthStatus: Healthy, Unhealthy, or LastKnownStatus."
   InsufficientDataHealthStatus: "LastKnownStatus: Route 53 uses the status of
   the health check from the last time that CloudWatch had sufficient data to
   determine the alarm state. For new health checks that have no last known
   status, the default status for the health check is healthy" (UpdateHealth
   Check: LastKnownStatus is the default). AlarmIdentifier {Region, Name} names
   the alarm, read here from moto's CloudWatch backend of that Region; the
   last known status comes from the alarm's state history. CreateHealthCheck
   and UpdateHealthCheck keep both settings and GetHealthCheck shows them (and
   CloudWatchAlarmConfiguration, "information about the CloudWatch alarm that
   Amazon Route 53 is monitoring for this health check").
2. GetHealthCheckStatus (API reference): one HealthCheckObservation {Region,
   IPAddress, StatusReport {Status, CheckedTime}} per health checker. For a
   CLOUDWATCH_METRIC check each checker Region (HealthCheckConfig.Regions, or
   Route 53's eight checker Regions) reports "Success: ..." when the alarm
   makes the check healthy and "Failure: ..." when it makes it unhealthy. The
   checker IP addresses are fixed emulator values. Other types keep moto's
   answer.
3. Health as Route 53's DNS uses it: Inverted "invert[s] the status of a health
   check"; Disabled: "Route 53 considers the status of the health check to
   always be healthy"; health checks of other types are healthy (as moto
   reports them); a record without HealthCheckId is healthy.
4. TestDNSAnswer (API reference; GET /2013-04-01/testdnsanswer with
   hostedzoneid, recordname, recordtype, optional resolverip,
   edns0clientsubnetip, edns0clientsubnetmask) answers Nameserver, RecordName,
   RecordType, RecordData (RecordDataEntry per value), ResponseCode and
   Protocol (UDP); NoSuchHostedZone (404), InvalidInput (400). Record choice
   (API reference, ResourceRecordSet, Failover and HealthCheckId):
   - failover: the PRIMARY when it is healthy; else the SECONDARY when it is
     healthy ("If you omit the HealthCheckId element for the secondary ...
     Route 53 always responds ... with the secondary"); "When the secondary
     resource record set is unhealthy, Route 53 responds ... with the primary";
   - other groups: only healthy records answer, and "If the health check
     status for all resource record sets in the group is unhealthy, Route 53
     considers all resource record sets in the group healthy";
   - latency (Region set): "the lowest latency between the end user and the
     associated Amazon EC2 Region". EMULATOR CONVENTION: the querying resolver
     is in EMULATOR_CLIENT_REGION (default us-east-1, the Region TestDNSAnswer
     uses when resolverip is omitted) and the record of that Region is the
     lowest-latency one; when it is unhealthy or absent the first healthy
     latency record (in the zone's record order) answers. A resolverip or
     edns0clientsubnetip that is one of RESOLVER_IPS (below) places the
     client in that Region instead, so one emulator can answer clients of
     several Regions; other addresses are accepted and ignored;
   - weighted: deterministic, the healthy record with the largest weight
     (AWS chooses at random in proportion to the weights);
   - multivalue: up to eight healthy records (all records if none is healthy);
   - geolocation: the default location ("*") record when it is healthy, else
     the first healthy one (the client's location is not modelled);
   - a name without records of the type but with a CNAME answers the CNAME's
     value; a name with no records at all (and no names below it) is NXDOMAIN;
   - an alias to a record of the same hosted zone answers that record's
     values (EvaluateTargetHealth: healthy when a target record is healthy);
     an alias to anything else answers its DNSName (AWS answers the target
     resource's addresses, which the emulator does not know).
"""

from __future__ import annotations

import os
from typing import Any, Callable

from moto.cloudwatch.models import cloudwatch_backends
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.route53 import urls as route53_urls
from moto.route53.exceptions import InvalidInput
from moto.route53.models import FakeZone, HealthCheck, RecordSet, route53_backends
from moto.route53.responses import Route53

CLIENT_REGION_ENV = "EMULATOR_CLIENT_REGION"
TEST_DNS_ANSWER_PATH = r"{0}/(?P<api_version>[\d_-]+)/testdnsanswer$"

# HealthCheckRegion enum of the Route 53 API model; the addresses are emulator values.
CHECKER_IPS = {
    "us-east-1": "15.177.2.10",
    "us-west-1": "15.177.10.10",
    "us-west-2": "15.177.18.10",
    "eu-west-1": "15.177.26.10",
    "ap-southeast-1": "15.177.34.10",
    "ap-southeast-2": "15.177.42.10",
    "ap-northeast-1": "15.177.50.10",
    "sa-east-1": "15.177.58.10",
}
# EMULATOR CONVENTION: client addresses (TEST-NET-2, RFC 5737) that place a TestDNSAnswer query in a Region.
RESOLVER_IPS = {
    "us-east-1": "198.51.100.1",
    "us-east-2": "198.51.100.2",
    "us-west-1": "198.51.100.3",
    "us-west-2": "198.51.100.4",
    "eu-west-1": "198.51.100.5",
    "eu-central-1": "198.51.100.6",
    "ap-southeast-1": "198.51.100.7",
    "ap-northeast-1": "198.51.100.8",
    "ap-southeast-2": "198.51.100.9",
    "sa-east-1": "198.51.100.10",
}
MAX_ALIAS_DEPTH = 8


# --- health ------------------------------------------------------------------------


def _alarm(health_check: HealthCheck) -> Any:
    identifier = getattr(health_check, "alarm_identifier", None) or {}
    account_id = getattr(health_check, "account_id", None)
    if not account_id or not identifier.get("Region") or not identifier.get("Name"):
        return None
    try:
        return cloudwatch_backends[account_id][identifier["Region"]].alarms.get(identifier["Name"])
    except KeyError:  # not a Region moto knows
        return None


def _alarm_verdict(health_check: HealthCheck) -> tuple[bool, str]:
    """(healthy before Inverted, description) for a CLOUDWATCH_METRIC health check."""
    identifier = getattr(health_check, "alarm_identifier", None) or {}
    label = f"CloudWatch alarm {identifier.get('Name')} in {identifier.get('Region')}"
    alarm = _alarm(health_check)
    state = alarm.state_value if alarm is not None else "INSUFFICIENT_DATA"
    if state == "OK":
        return True, f"{label} is in state OK."
    if state == "ALARM":
        return False, f"{label} is in state ALARM."
    setting = getattr(health_check, "insufficient_data_health_status", None) or "LastKnownStatus"
    found = "has insufficient data" if alarm is not None else "does not exist"
    if setting == "Healthy":
        return True, f"{label} {found}; InsufficientDataHealthStatus is Healthy."
    if setting == "Unhealthy":
        return False, f"{label} {found}; InsufficientDataHealthStatus is Unhealthy."
    # LastKnownStatus: the latest OK/ALARM state in the alarm's history, healthy if none.
    states = [] if alarm is None else [entry[3] for entry in alarm.history if entry[0] == "StateUpdate"]
    last_known = next((s for s in reversed(states) if s in ("OK", "ALARM")), None)
    healthy = last_known != "ALARM"
    return healthy, (
        f"{label} {found}; InsufficientDataHealthStatus is LastKnownStatus "
        f"({'healthy' if healthy else 'unhealthy'}, last state {last_known or 'none'})."
    )


def health_check_is_healthy(account_id: str, health_check_id: str) -> bool:
    """The status Route 53's DNS uses for a record's HealthCheckId."""
    health_check = route53_backends[account_id]["aws"].health_checks.get(health_check_id)
    if health_check is None or health_check.disabled:
        return True  # unknown ids are not validated by moto; disabled is "always healthy"
    healthy = True  # moto reports every other type healthy
    if health_check.type_ == "CLOUDWATCH_METRIC":
        healthy, _ = _alarm_verdict(health_check)
    return not healthy if health_check.inverted else healthy


# --- health check actions -------------------------------------------------------------


def _keeping_alarm_settings(
    create: Callable[[Route53], ActionResult],
) -> Callable[[Route53], ActionResult]:
    def create_health_check(self: Route53) -> ActionResult:
        config = self._get_param("HealthCheckConfig") or {}
        if config.get("Type") == "CLOUDWATCH_METRIC" and not config.get("AlarmIdentifier"):
            raise InvalidInput("AlarmIdentifier is required for health checks of type CLOUDWATCH_METRIC.")
        result = create(self)
        health_check = result.result["HealthCheck"]  # type: ignore[index]
        health_check.account_id = self.current_account
        health_check.alarm_identifier = config.get("AlarmIdentifier")
        health_check.insufficient_data_health_status = config.get("InsufficientDataHealthStatus")
        return result

    return create_health_check


def _updating_alarm_settings(
    update: Callable[[Route53], ActionResult],
) -> Callable[[Route53], ActionResult]:
    def update_health_check(self: Route53) -> ActionResult:
        result = update(self)
        health_check = result.result["HealthCheck"]  # type: ignore[index]
        if self._get_param("AlarmIdentifier"):
            health_check.alarm_identifier = self._get_param("AlarmIdentifier")
        if self._get_param("InsufficientDataHealthStatus"):
            health_check.insufficient_data_health_status = self._get_param("InsufficientDataHealthStatus")
        return result

    return update_health_check


def _with_alarm_settings(
    config: Callable[[HealthCheck], dict[str, Any]],
) -> Callable[[HealthCheck], dict[str, Any]]:
    def health_check_config(self: HealthCheck) -> dict[str, Any]:
        rendered = config(self)
        if self.type_ == "CLOUDWATCH_METRIC":
            # No endpoint to probe: like moto's CALCULATED checks, no endpoint settings (moto showed Port 80).
            for key in ("IPAddress", "Port", "RequestInterval", "FailureThreshold", "MeasureLatency"):
                rendered.pop(key, None)
        if getattr(self, "alarm_identifier", None):
            rendered["AlarmIdentifier"] = self.alarm_identifier
        if getattr(self, "insufficient_data_health_status", None):
            rendered["InsufficientDataHealthStatus"] = self.insufficient_data_health_status
        return rendered

    return health_check_config


def _cloud_watch_alarm_configuration(self: HealthCheck) -> dict[str, Any] | None:
    alarm = _alarm(self) if self.type_ == "CLOUDWATCH_METRIC" else None
    if alarm is None:
        return None
    return {
        "EvaluationPeriods": alarm.evaluation_periods,
        "Threshold": alarm.threshold,
        "ComparisonOperator": alarm.comparison_operator,
        "Period": alarm.period,
        "MetricName": alarm.metric_name,
        "Namespace": alarm.namespace,
        "Statistic": alarm.statistic,
        "Dimensions": [{"Name": d.name, "Value": d.value} for d in alarm.dimensions],
    }


def _following_alarms(
    get_status: Callable[[Route53], ActionResult],
) -> Callable[[Route53], ActionResult]:
    def get_health_check_status(self: Route53) -> ActionResult:
        health_check = self.backend.get_health_check(self._get_param("HealthCheckId"))
        if health_check.type_ != "CLOUDWATCH_METRIC":
            return get_status(self)
        healthy, description = _alarm_verdict(health_check)
        status = f"{'Success' if healthy else 'Failure'}: {description}"
        checked = utcnow()
        regions = health_check.regions or list(CHECKER_IPS)
        return ActionResult(
            {
                "HealthCheckObservations": [
                    {
                        "Region": region,
                        "IPAddress": CHECKER_IPS.get(region, "15.177.62.10"),
                        "StatusReport": {"Status": status, "CheckedTime": checked},
                    }
                    for region in regions
                ]
            }
        )

    return get_health_check_status


# --- TestDNSAnswer --------------------------------------------------------------------


def _name(value: str) -> str:
    return value.rstrip(".").lower()


def _same_zone_alias_group(zone: FakeZone, record: RecordSet) -> list[RecordSet] | None:
    target = record.alias_target or {}
    if (target.get("HostedZoneId") or "").replace("/hostedzone/", "") != zone.resource_id:
        return None
    return [r for r in zone.rrsets if _name(r.name) == _name(target.get("DNSName", "")) and r.type == record.type]


def _is_healthy(account_id: str, zone: FakeZone, record: RecordSet, depth: int) -> bool:
    if record.health_check_id:
        return health_check_is_healthy(account_id, record.health_check_id)
    if record.alias_target and str(record.alias_target.get("EvaluateTargetHealth")).lower() == "true":
        group = _same_zone_alias_group(zone, record)
        if group is not None and depth < MAX_ALIAS_DEPTH:
            return any(_is_healthy(account_id, zone, r, depth + 1) for r in group)
    return True


def _values(account_id: str, zone: FakeZone, record: RecordSet, depth: int, client_region: str) -> list[str]:
    if record.alias_target:
        group = _same_zone_alias_group(zone, record)
        if group is None:
            return [str(record.alias_target.get("DNSName", "")).rstrip(".")]
        if not group or depth >= MAX_ALIAS_DEPTH:
            return []
        return _answer_group(account_id, zone, group, depth + 1, client_region)
    return [str(value) for value in record.records]


def _client_region(client_ips: tuple[str | None, ...]) -> str:
    by_ip = {ip: region for region, ip in RESOLVER_IPS.items()}
    for ip in client_ips:
        if ip in by_ip:
            return by_ip[ip]
    return os.environ.get(CLIENT_REGION_ENV, "us-east-1")


def _answer_group(
    account_id: str, zone: FakeZone, group: list[RecordSet], depth: int, client_region: str
) -> list[str]:
    healthy = [r for r in group if _is_healthy(account_id, zone, r, depth)]

    def values(record: RecordSet) -> list[str]:
        return _values(account_id, zone, record, depth, client_region)

    if any(r.failover for r in group):
        primary = next((r for r in group if r.failover == "PRIMARY"), None)
        secondary = next((r for r in group if r.failover == "SECONDARY"), None)
        if primary is not None and (primary in healthy or secondary is None or secondary not in healthy):
            return values(primary)
        return values(secondary) if secondary is not None else []
    candidates = healthy or group  # all unhealthy: all are considered healthy
    if any(r.region for r in group):
        chosen = next((r for r in candidates if r.region == client_region), candidates[0])
        return values(chosen)
    if any(r.multi_value_answer for r in group):
        return [value for record in candidates[:8] for value in values(record)]
    if any(r.weight is not None for r in group):
        weighted = [r for r in candidates if int(r.weight or 0) > 0] or candidates
        return values(max(weighted, key=lambda r: int(r.weight or 0)))
    if any(r.geo_location for r in group):
        default = next((r for r in candidates if (r.geo_location or {}).get("CountryCode") == "*"), None)
        return values(default or candidates[0])
    return values(group[0])


def test_dns_answer(self: Route53) -> ActionResult:
    zone_id = self._get_param("HostedZoneId")
    record_name = self._get_param("RecordName")
    record_type = self._get_param("RecordType")
    if not zone_id or not record_name or not record_type:
        raise InvalidInput("hostedzoneid, recordname and recordtype are required.")
    zone = self.backend.get_hosted_zone(zone_id)
    if zone.private_zone:
        raise InvalidInput("TestDNSAnswer only supports public hosted zones.")
    query, apex = _name(record_name), _name(zone.name)
    if query != apex and not query.endswith("." + apex):
        raise InvalidInput(f"{record_name} is not in hosted zone {zone.name}")

    at_name = [r for r in zone.rrsets if _name(r.name) == query]
    group = [r for r in at_name if r.type == record_type] or [r for r in at_name if r.type == "CNAME"]
    if group:
        client = _client_region((self._get_param("ResolverIP"), self._get_param("EDNS0ClientSubnetIP")))
        data, code = _answer_group(self.current_account, zone, group, 0, client), "NOERROR"
    else:
        below = any(_name(r.name).endswith("." + query) for r in zone.rrsets)
        data, code = [], ("NOERROR" if at_name or below else "NXDOMAIN")
    name_servers = zone.delegation_set.name_servers if zone.delegation_set else ["ns-2048.awsdns-64.com"]
    return ActionResult(
        {
            "Nameserver": name_servers[0],
            "RecordName": record_name,
            "RecordType": record_type,
            "RecordData": data,
            "ResponseCode": code,
            "Protocol": "UDP",
        }
    )


def apply() -> None:
    """Install the patches; call once, before moto serves requests."""
    route53_urls.url_paths[TEST_DNS_ANSWER_PATH] = Route53.dispatch
    Route53.test_dns_answer = test_dns_answer  # type: ignore[attr-defined]
    Route53.create_health_check = _keeping_alarm_settings(Route53.create_health_check)  # type: ignore[method-assign]
    Route53.update_health_check = _updating_alarm_settings(Route53.update_health_check)  # type: ignore[method-assign]
    Route53.get_health_check_status = _following_alarms(Route53.get_health_check_status)  # type: ignore[method-assign]
    HealthCheck.health_check_config = property(  # type: ignore[method-assign,assignment]
        _with_alarm_settings(HealthCheck.health_check_config.fget)  # type: ignore[attr-defined]
    )
    HealthCheck.cloud_watch_alarm_configuration = property(_cloud_watch_alarm_configuration)  # type: ignore[attr-defined]
