using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace Gym.Envs.Web.Sites;

/// <summary>
/// Folders of a user's own pages served on the task sites at <c>/static/ID/</c> (ID: a hash of the folder's full path,
/// so the same folder has the same address in every run); only files inside a mounted folder are served.
/// </summary>
public static class StaticFolders
{
    private static readonly ConcurrentDictionary<string, string> Mounted = new(StringComparer.Ordinal);
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Mounts <paramref name="folder"/>; returns its path on the sites (<c>static/ID/</c>).</summary>
    public static string Mount(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"No folder of pages at {full}.");
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)), 0, 8);
        Mounted[id] = full;
        return $"static/{id}/";
    }

    /// <summary>Adds the route that serves the mounted folders.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/static/{id}/{**path}", (string id, string? path) =>
        {
            if (!Mounted.TryGetValue(id, out string? root))
                return Results.NotFound();
            string file = Path.GetFullPath(Path.Combine(root, string.IsNullOrEmpty(path) ? "index.html" : path));
            if (Directory.Exists(file))
                file = Path.Combine(file, "index.html");
            // Nothing outside the folder, whatever the path says.
            if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
                return Results.NotFound();
            return Results.File(file, ContentTypes.TryGetContentType(file, out string? type) ? type : "application/octet-stream");
        });
    }
}
