using System.Net;
using System.Net.Sockets;
using System.Text;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Testing;

namespace Gym.Envs.Web.Tests;

/// <summary>Web tasks on a user's own server and on a folder of pages Gym serves, with only the allowed hosts reachable.</summary>
[TestFixture]
public sealed class AnySiteTests
{
    [Test, CancelAfter(300_000)]
    public async Task TasksRunOnAUsersServerAndOnAFolderOfPagesWithEverythingElseBlocked()
    {
        using HttpListener server = StartServer(out int port);
        string dir = TestPaths.TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "pages"));
        File.WriteAllText(Path.Combine(dir, "pages", "index.html"),
            "<!doctype html><title>Start</title><button onclick=\"location.href='done.html'\">Finish</button>");
        File.WriteAllText(Path.Combine(dir, "pages", "done.html"), "<!doctype html><title>Done</title><p>Done.</p>");
        File.WriteAllText(Path.Combine(dir, "suite.json"), $$$"""
            {"suite": "t/any", "env": "web/browser-v1", "defaults": {"limits": {"maxSteps": 5}},
             "tasks": [
              {"id": "static", "config": {"site": "page", "static": "pages", "goal": "Press Finish.",
                 "solution": [{"action": "click", "role": "button", "name": "Finish"}]},
               "evaluator": {"type": "url", "matches": "/done\\.html$"}},
              {"id": "server", "config": {"site": "page", "start": "http://127.0.0.1:{{{port}}}/form", "goal": "Send the form.",
                 "solution": [{"action": "click", "role": "button", "name": "Send"}]},
               "evaluator": {"type": "url", "matches": "^/thanks$"}}]}
            """);
        EnvRegistry registry = new EnvRegistry().AddWebEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load(Path.Combine(dir, "suite.json"), dir, registry.Contains);
        (IReadOnlyList<Episode> episodes, string aborts, string failures) = await OracleRun.RunAsync(registry, WebEnvironment.Id, suite.Tasks);
        Assert.That(episodes, Has.Count.EqualTo(2), aborts);
        Assert.That(failures, Is.Empty);

        // The user's page asks for an image on a host the task does not allow: blocked, and said so.
        Episode onServer = episodes.Single(e => e.TaskId == "server");
        Assert.That(onServer.Steps[0].Observation.Text, Does.Contain($"URL: http://127.0.0.1:{port}/form")
            .And.Contain("Blocked request (outside the task's sites): http://127.0.0.2:9/pixel.png"));
        Assert.That(episodes.Single(e => e.TaskId == "static").Steps[0].Observation.Text, Does.Contain("/static/").And.Contain("Finish"));

        // A folder that is not there is the task's error, named.
        File.WriteAllText(Path.Combine(dir, "suite.json"), File.ReadAllText(Path.Combine(dir, "suite.json")).Replace("\"pages\"", "\"missing\"", StringComparison.Ordinal));
        TaskSpec missing = TaskSuiteLoader.Load(Path.Combine(dir, "suite.json"), dir, registry.Contains).Tasks[0];
        Assert.That(() => Gym.Envs.Web.Tasks.WebTasks.Resolve(missing, 0), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("config.static names no folder"));
    }

    // A user's own site: a form at /form whose button goes to /thanks; the form's page also asks another host for an image.
    private static HttpListener StartServer(out int port)
    {
        using (TcpListener probe = new(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        HttpListener listener = new();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;   // stopped with the test
                }
                string page = context.Request.Url!.AbsolutePath == "/form"
                    ? "<!doctype html><title>Form</title><img src='http://127.0.0.2:9/pixel.png' alt=''><button onclick=\"location.href='/thanks'\">Send</button>"
                    : "<!doctype html><title>Thanks</title><p>Thanks.</p>";
                byte[] body = Encoding.UTF8.GetBytes(page);
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
        return listener;
    }
}
