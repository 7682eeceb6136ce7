// Calls the Prism mock with the Java client (library `native`) OpenAPI Generator made from
// generated/openapi.yaml. Run by test/contract/codegen.test.ts in Java's single-file source mode:
//   java -cp <compiled client>:<jackson jars> test/contract/JavaClientCheck.java <base url> <token>
// Prints one JSON document: fields of the listed page, the status/body of a Prefer-selected 404,
// then one task (showBackgroundTask), a running task's progress (its steps) and a deletion's status.
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openapitools.client.ApiClient;
import org.openapitools.client.ApiException;
import org.openapitools.client.api.BackgroundTasksApi;
import org.openapitools.client.model.BackgroundTask;
import org.openapitools.client.model.ListBackgroundTasksResponse;
import org.openapitools.client.model.ShowBackgroundTaskProgressResponse;
import org.openapitools.client.model.StepDetail;

public class JavaClientCheck {
  static final String PROJECT_ID = "0123456789abcdef0123456789abcdef";
  static final String INSTANCE_ID = "5b3d8a7e-0f6c-4f0e-9a7e-2b6c1d0e9f11";
  static final String TASK_ID = "ff80808272dcc90f0172df1e490f41b0";

  static ApiClient client(URI base, String token, String prefer) {
    ApiClient client = new ApiClient();
    client.setScheme(base.getScheme());
    client.setHost(base.getHost());
    client.setPort(base.getPort());
    client.setBasePath("");
    // The `native` library does not apply apiKey security schemes itself: set the header here.
    client.setRequestInterceptor(b -> {
      b.header("X-Auth-Token", token);
      if (prefer != null) b.header("Prefer", prefer);
    });
    return client;
  }

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String token = args[1];
    Map<String, Object> out = new LinkedHashMap<>();

    ApiClient client = client(base, token, null);
    ListBackgroundTasksResponse page =
        new BackgroundTasksApi(client).listBackgroundTasks(PROJECT_ID, INSTANCE_ID, 1, 10, "20200623000000", "20200624000000");
    BackgroundTask task = page.getTasks().get(0);
    out.put("task_count", page.getTaskCount());
    out.put("first_task_id", task.getId());
    out.put("first_task_status", task.getStatus());
    out.put("first_task_created_at", task.getCreatedAt().toInstant().toString());
    out.put("first_task_params", task.getParams());

    try {
      new BackgroundTasksApi(client(base, token, "code=404")).listBackgroundTasks(PROJECT_ID, INSTANCE_ID, null, null, null, null);
      out.put("not_found", null);
    } catch (ApiException e) {
      Map<String, Object> notFound = new LinkedHashMap<>();
      notFound.put("status", e.getCode());
      notFound.put("body", client.getObjectMapper().readTree(e.getResponseBody()));
      out.put("not_found", notFound);
    }

    BackgroundTasksApi api = new BackgroundTasksApi(client);
    BackgroundTask shown = api.showBackgroundTask(PROJECT_ID, INSTANCE_ID, TASK_ID).getTasks().get(0);
    out.put("show", Arrays.asList(shown.getId(), shown.getStatus()));

    ShowBackgroundTaskProgressResponse running =
        new BackgroundTasksApi(client(base, token, "example=RocketMqExample")).showBackgroundTaskProgress(PROJECT_ID, INSTANCE_ID, TASK_ID);
    List<Object> steps = new ArrayList<>();
    for (StepDetail step : running.getStepList()) {
      steps.add(Arrays.asList(step.getName(), step.getStatue(), step.getStartTime(), step.getEndTime()));
    }
    out.put("progress", Arrays.asList(running.getProgressPercentage(), running.getRemainTime(), steps));

    out.put("delete_status", api.deleteBackgroundTaskWithHttpInfo(PROJECT_ID, INSTANCE_ID, TASK_ID).getStatusCode());

    System.out.println(client.getObjectMapper().writeValueAsString(out));
  }
}
