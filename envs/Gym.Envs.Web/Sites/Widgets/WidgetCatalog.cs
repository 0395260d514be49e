namespace Gym.Envs.Web.Sites.Widgets;

/// <summary>Every widget task type, by name (MiniWoB++-style single-page tasks).</summary>
public static class WidgetCatalog
{
    /// <summary>All widgets.</summary>
    public static readonly IReadOnlyList<IWidget> All =
    [
        new ClickButton(), new ClickLink(), new ClickInIframe(), new ClickInShadow(), new ScrollAndClick(), new HoverMenu(), new ClickMissing(),
        new EnterText(), new EnterPassword(), new LoginUser(), new PressEnter(), new CopyText(), new FillForm(),
        new ChooseList(), new ClickCheckboxes(), new ChooseRadio(), new ChooseDate(), new SetCounter(),
        new NavigateTabs(), new UseDialog(), new ExpandSection(), new DragItem(), new SearchEngine(), new ReadTable(),
    ];

    private static readonly Dictionary<string, IWidget> ByName = All.ToDictionary(w => w.Name, StringComparer.Ordinal);

    /// <summary>The widget named <paramref name="name"/>; the error lists the known ones.</summary>
    public static IWidget Get(string name) => ByName.TryGetValue(name, out IWidget? w) ? w
        : throw new ArgumentException($"There is no widget '{name}'. Known: {string.Join(", ", ByName.Keys)}.", nameof(name));

    /// <summary>The whole page of an instance: the body, and the <c>gymSubmit</c> hook its scripts report through.</summary>
    public static string Page(string title, WidgetInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{W.H(title)}}</title>
            <style>body { font-family: sans-serif; margin: 16px } button { margin: 4px } .chip { display: inline-block; padding: 6px 10px; border: 1px solid #888; border-radius: 12px; cursor: grab }</style>
            <script>window.__gymSubmitted = null; window.gymSubmit = function (s) { if (window.__gymSubmitted === null) window.__gymSubmitted = s; };</script>
            </head><body><main>{{instance.Body}}</main></body></html>
            """;
    }
}
