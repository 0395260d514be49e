using System.Net;
using Gym.Envs.Web.Sites.Widgets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gym.Envs.Web.Sites;

/// <summary>
/// The task sites, served by Gym itself on 127.0.0.1 at a free port: <c>/widgets/NAME?seed=N</c> (single-page
/// tasks), <c>/shop/</c> (a WebShop-like store) and <c>/book/</c> (multi-page booking forms), whose state is the visitor's
/// (<see cref="SiteSession"/>), and folders of a user's own pages (<see cref="StaticFolders"/>). One server serves every
/// environment of the process (<see cref="SharedAsync"/>).
/// </summary>
public sealed class TaskSiteServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim SharedLock = new(1, 1);
    private static TaskSiteServer? _shared;
    private readonly WebApplication _app;

    private TaskSiteServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>An empty page of the sites (environments preload it so the sites' renderer is running).</summary>
    public const string BlankPath = "__gym/blank";

    /// <summary>The sites' base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The process's server, started on first use.</summary>
    public static async Task<TaskSiteServer> SharedAsync(CancellationToken cancellationToken = default)
    {
        await SharedLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _shared ??= await StartAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SharedLock.Release();
        }
    }

    /// <summary>Starts a server of its own (tests and benchmarks use the shared one).</summary>
    public static async Task<TaskSiteServer> StartAsync(CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.UseSiteSessions();
        app.MapGet("/", () => Results.Content("<!doctype html><title>Gym task sites</title><a href='/widgets/click-button?seed=0'>widgets</a> <a href='/shop/'>shop</a> <a href='/book/'>booking</a>", "text/html"));
        app.MapGet("/" + BlankPath, () => Results.Content("<!doctype html><title></title>", "text/html"));
        app.MapGet("/widgets/{name}", (string name, long? seed) =>
        {
            IWidget widget;
            try
            {
                widget = WidgetCatalog.Get(name);
            }
            catch (ArgumentException e)
            {
                return Results.NotFound(e.Message);
            }
            return Results.Content(WidgetCatalog.Page("Task", widget.Generate(seed ?? 0)), "text/html; charset=utf-8");
        });
        Shop.ShopRoutes.Map(app, Shop.ShopCatalog.Instance, Shop.ShopSessions.Shared);
        Booking.BookingRoutes.Map(app, Booking.BookingSessions.Shared);
        StaticFolders.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TaskSiteServer(app, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
