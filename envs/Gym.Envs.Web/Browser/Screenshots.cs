using Microsoft.Playwright;

namespace Gym.Envs.Web.Browser;

/// <summary>PNG screenshots of the viewport, optionally with each element's id drawn over its box (set-of-marks).</summary>
public static class Screenshots
{
    private const string Overlay = """
        (marks) => {
          const layer = document.createElement('div');
          layer.id = '__gym_marks';
          layer.style.cssText = 'position: fixed; inset: 0; pointer-events: none; z-index: 2147483647';
          for (const m of marks) {
            const box = document.createElement('div');
            box.style.cssText = `position: fixed; left: ${m.x}px; top: ${m.y}px; width: ${m.w}px; height: ${m.h}px; outline: 2px solid #e0218a`;
            const label = document.createElement('span');
            label.textContent = m.id;
            label.style.cssText = 'position: absolute; left: 0; top: -14px; font: bold 11px monospace; color: #fff; background: #e0218a; padding: 0 2px';
            box.appendChild(label);
            layer.appendChild(box);
          }
          document.documentElement.appendChild(layer);
        }
        """;

    /// <summary>The viewport as PNG, with <paramref name="marks"/> drawn when there are any.</summary>
    public static async Task<byte[]> TakeAsync(IPage page, IReadOnlyList<(string Id, double X, double Y, double W, double H)> marks, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(marks);
        ArgumentNullException.ThrowIfNull(options);
        if (marks.Count == 0)
            return await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png, Timeout = (float)options.ActionTimeout.TotalMilliseconds }).ConfigureAwait(false);
        await page.EvaluateAsync(Overlay, marks.Select(m => new { id = m.Id, x = m.X, y = m.Y, w = m.W, h = m.H }).ToArray()).ConfigureAwait(false);
        try
        {
            return await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png, Timeout = (float)options.ActionTimeout.TotalMilliseconds }).ConfigureAwait(false);
        }
        finally
        {
            await page.EvaluateAsync("() => document.getElementById('__gym_marks')?.remove()").ConfigureAwait(false);
        }
    }
}
