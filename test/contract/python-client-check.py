"""Calls the Prism mock with the Python client OpenAPI Generator made from generated/openapi.yaml.

Usage: PYTHONPATH=<generated python dir> python3 python-client-check.py <base url> <token>
Prints one JSON document: the listed page, a Prefer-selected 404, and client-side validation
failures; then one task (showBackgroundTask), its progress (both examples) and its deletion.
Run by test/contract/codegen.test.ts.
"""
import json
import sys
import types

try:
    import certifi  # noqa: F401  (the generated rest.py imports it for HTTPS trust roots)
except ImportError:
    # Debian's python3 has urllib3, six and dateutil but not certifi. Only plain http to the mock
    # is used here, so a stub pointing at the system trust store is enough.
    certifi = types.ModuleType("certifi")
    certifi.where = lambda: "/etc/ssl/certs/ca-certificates.crt"
    sys.modules["certifi"] = certifi

import dms_background_tasks
from dms_background_tasks.api.background_tasks_api import BackgroundTasksApi
from dms_background_tasks.exceptions import ApiException, ApiValueError

PROJECT_ID = "0123456789abcdef0123456789abcdef"
INSTANCE_ID = "5b3d8a7e-0f6c-4f0e-9a7e-2b6c1d0e9f11"
TASK_ID = "ff80808272dcc90f0172df1e490f41b0"


def client(base_url, token, **default_headers):
    configuration = dms_background_tasks.Configuration(host=base_url, api_key={"IamToken": token})
    api_client = dms_background_tasks.ApiClient(configuration)
    for name, value in default_headers.items():
        api_client.set_default_header(name, value)
    return api_client, BackgroundTasksApi(api_client)


def main():
    base_url, token = sys.argv[1], sys.argv[2]
    out = {}

    api_client, api = client(base_url, token)
    page = api.list_background_tasks(
        PROJECT_ID, INSTANCE_ID, start=1, limit=10, begin_time="20200623000000", end_time="20200624000000"
    )
    out["type"] = type(page).__name__
    out["page"] = api_client.sanitize_for_serialization(page)
    out["first_task_id"] = page.tasks[0].id
    out["first_task_created_at"] = page.tasks[0].created_at.isoformat()

    _, api404 = client(base_url, token, Prefer="code=404")
    try:
        api404.list_background_tasks(PROJECT_ID, INSTANCE_ID)
        out["not_found"] = None
    except ApiException as e:
        out["not_found"] = {"status": e.status, "body": json.loads(e.body)}

    # The pattern, minimum and maximum of the spec become client-side checks: nothing is sent.
    try:
        api.list_background_tasks(PROJECT_ID, INSTANCE_ID, limit=0)
        out["limit_0"] = None
    except ApiValueError as e:
        out["limit_0"] = type(e).__name__
    try:
        api.list_background_tasks(PROJECT_ID, INSTANCE_ID, begin_time="20201345000000")
        out["bad_begin_time"] = None
    except ApiValueError as e:
        out["bad_begin_time"] = type(e).__name__

    # The lifecycle operations: one task, its progress, its deletion.
    shown = api.show_background_task(PROJECT_ID, INSTANCE_ID, TASK_ID)
    out["show"] = {
        "type": type(shown).__name__,
        "task_count": shown.task_count,
        "task_id": shown.tasks[0].id,
        "task_status": shown.tasks[0].status,
        "task_name": shown.tasks[0].name,
        "task_updated_at": shown.tasks[0].updated_at.isoformat(),
    }
    try:
        api404.show_background_task(PROJECT_ID, INSTANCE_ID, TASK_ID)
        out["show_not_found"] = None
    except ApiException as e:
        out["show_not_found"] = {"status": e.status, "body": json.loads(e.body)}
    try:
        api.show_background_task(PROJECT_ID, INSTANCE_ID, "a.b")
        out["show_bad_task_id"] = None
    except ApiValueError as e:
        out["show_bad_task_id"] = type(e).__name__

    progress = api.show_background_task_progress(PROJECT_ID, INSTANCE_ID, TASK_ID)
    out["progress"] = {"type": type(progress).__name__, "value": api_client.sanitize_for_serialization(progress)}
    _, api_rocketmq = client(base_url, token, Prefer="example=RocketMqExample")
    running = api_rocketmq.show_background_task_progress(PROJECT_ID, INSTANCE_ID, TASK_ID)
    out["progress_running"] = {
        "step_types": [type(step).__name__ for step in running.step_list],
        "steps": [[step.name, step.statue, step.start_time, step.end_time] for step in running.step_list],
    }

    out["delete"] = {"result": api.delete_background_task(PROJECT_ID, INSTANCE_ID, TASK_ID)}
    _, status, _ = api.delete_background_task_with_http_info(PROJECT_ID, INSTANCE_ID, TASK_ID)
    out["delete"]["status"] = status

    print(json.dumps(out))


if __name__ == "__main__":
    main()
