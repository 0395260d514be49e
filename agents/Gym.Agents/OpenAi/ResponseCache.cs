using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Gym.Agents.OpenAi;

/// <summary>
/// Records successful JSON responses on disk, keyed by a SHA-256 of the request's path and exact body, and answers
/// a request seen before from the record without reaching the server. Failed and streamed responses are not kept.
/// Entries are written to a temporary file and renamed, so concurrent episodes never read half a record.
/// </summary>
internal sealed class ResponseCache(string directory) : DelegatingHandler(new SocketsHttpHandler())
{
    private long _hits;
    private long _misses;

    /// <summary>Requests answered from the records.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Requests that went to the server.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post || request.Content is null)
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        byte[] body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        byte[] path = System.Text.Encoding.UTF8.GetBytes(request.RequestUri?.AbsolutePath + "\n");
        string key = Convert.ToHexStringLower(SHA256.HashData([.. path, .. body]));
        string file = Path.Combine(directory, key[..2], key + ".json");
        if (File.Exists(file))
        {
            Interlocked.Increment(ref _hits);
            return Json(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), request);
        }
        Interlocked.Increment(ref _misses);
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "application/json")
            return response;
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        string temporary = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, file, overwrite: true);
        response.Dispose();
        return Json(bytes, request);
    }

    private static HttpResponseMessage Json(byte[] bytes, HttpRequestMessage request)
    {
        ByteArrayContent content = new(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
