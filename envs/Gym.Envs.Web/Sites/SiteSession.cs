using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gym.Envs.Web.Sites;

/// <summary>
/// Which visitor a request comes from, as a cookie: each episode's browser context carries its own id, so the
/// episode's cart or booking is its own while its URLs stay the same for every episode of a task (observations
/// reproduce for the same seed, and parallel rollouts of one task never share state).
/// </summary>
public static class SiteSession
{
    /// <summary>The cookie's name.</summary>
    public const string Cookie = "gym_session";

    private const string ItemKey = "gym.session";

    /// <summary>A fresh id.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The request's session id (the one just given, for a visitor that had none).</summary>
    public static string Id(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ItemKey] as string ?? context.Request.Cookies[Cookie]
            ?? throw new InvalidOperationException("No site session: UseSiteSessions must run before the sites' routes.");
    }

    /// <summary>Gives a visitor without the cookie (a person's own browser) an id of its own.</summary>
    public static void UseSiteSessions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            if (context.Request.Cookies[Cookie] is not { Length: > 0 })
            {
                string id = NewId();
                context.Items[ItemKey] = id;
                context.Response.Cookies.Append(Cookie, id, new CookieOptions { Path = "/", SameSite = SameSiteMode.Lax, HttpOnly = true });
            }
            await next(context).ConfigureAwait(false);
        });
    }
}
