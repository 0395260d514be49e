using System.Globalization;
using System.Text;
using Gym.Core;
using static Gym.Envs.Web.Sites.Widgets.W;

namespace Gym.Envs.Web.Sites.Widgets;

/// <summary>Switch to a tab, then click a button inside it.</summary>
internal sealed class NavigateTabs : IWidget
{
    public string Name => "navigate-tabs";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 31);
        List<string> tabs = [.. Pick(r, 3).Select(Cap)];
        Dictionary<string, List<string>> buttons = tabs.ToDictionary(t => t, _ => Pick(r, 2).Select(Cap).ToList());
        string tab = r.Pick(tabs), button = r.Pick(buttons[tab]);
        StringBuilder sb = new("<div role='tablist'>");
        for (int i = 0; i < tabs.Count; i++)
            sb.Append($"<button role='tab' aria-selected='{(i == 0 ? "true" : "false")}' onclick='show({i})'>{H(tabs[i])}</button>");
        sb.Append("</div>");
        for (int i = 0; i < tabs.Count; i++)
        {
            sb.Append($"<div role='tabpanel' id='p{i}' {(i == 0 ? "" : "hidden")}>");
            foreach (string b in buttons[tabs[i]])
                sb.Append($"<button onclick='gymSubmit({{tab: {Js(tabs[i])}, button: {Js(b)}}})'>{H(b)}</button> ");
            sb.Append("</div>");
        }
        sb.Append("<script>function show(i) { document.querySelectorAll('[role=tabpanel]').forEach((p, j) => p.hidden = j !== i); document.querySelectorAll('[role=tab]').forEach((t, j) => t.setAttribute('aria-selected', j === i)); }</script>");
        return new WidgetInstance($"Open the \"{tab}\" tab and click \"{button}\".", sb.ToString(),
            [SolutionStep.Click("tab", tab), SolutionStep.Click("button", button)], s => Str(s, "tab") == tab && Str(s, "button") == button);
    }
}

/// <summary>Open a dialog and answer it.</summary>
internal sealed class UseDialog : IWidget
{
    public string Name => "use-dialog";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 32);
        string thing = r.Pick(Words);
        string answer = r.Pick(["Delete", "Keep"]);
        string body = $"""
            <p>File: {H(thing)}.txt</p>
            <button onclick='document.getElementById("dlg").showModal()'>Manage file</button>
            <dialog id='dlg' aria-label='Manage {H(thing)}.txt'>
              <p>What should happen to {H(thing)}.txt?</p>
              <button onclick='gymSubmit({"{"}choice: "Delete"{"}"}); this.closest("dialog").close()'>Delete</button>
              <button onclick='gymSubmit({"{"}choice: "Keep"{"}"}); this.closest("dialog").close()'>Keep</button>
            </dialog>
            """;
        return new WidgetInstance($"Open the file's dialog and choose \"{answer}\".", body,
            [SolutionStep.Click("button", "Manage file"), SolutionStep.Click("button", answer)], s => Str(s, "choice") == answer);
    }
}

/// <summary>Expand a collapsed section and click a button in it.</summary>
internal sealed class ExpandSection : IWidget
{
    public string Name => "expand-section";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 33);
        List<string> sections = [.. Pick(r, 3).Select(Cap)];
        string section = r.Pick(sections);
        StringBuilder sb = new();
        foreach (string s in sections)
            sb.Append($"<details><summary>{H(s)}</summary><p>About {H(s)}.</p><button onclick='gymSubmit({{section: {Js(s)}}})'>Subscribe to {H(s)}</button></details>");
        return new WidgetInstance($"Expand the \"{section}\" section and subscribe to it.", sb.ToString(),
            [SolutionStep.Click("button", section), SolutionStep.Click("button", $"Subscribe to {section}")], s => Str(s, "section") == section);
    }
}

/// <summary>Drag an item onto a drop zone.</summary>
internal sealed class DragItem : IWidget
{
    public string Name => "drag-item";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 34);
        List<string> items = [.. Pick(r, 4).Select(Cap)];
        string item = r.Pick(items);
        StringBuilder sb = new("<div class='row'>");
        foreach (string i in items)
            sb.Append($"<span draggable='true' class='chip' ondragstart='event.dataTransfer.setData(\"text/plain\", {H(Js(i))})'>{H(i)}</span> ");
        sb.Append("</div><div id='basket' aria-label='Basket' tabindex='0' style='margin-top: 20px; width: 200px; height: 80px; border: 2px dashed #888' ")
          .Append("ondragover='event.preventDefault()' ondrop='event.preventDefault(); gymSubmit({dropped: event.dataTransfer.getData(\"text/plain\")})'>Basket</div>");
        return new WidgetInstance($"Drag \"{item}\" into the basket.", sb.ToString(),
            [new SolutionStep("drag_and_drop", "generic", item, null, "generic", "Basket")], s => Str(s, "dropped") == item);
    }
}

/// <summary>Search, then open the n-th result.</summary>
internal sealed class SearchEngine : IWidget
{
    public string Name => "search-engine";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 35);
        string query = r.Pick(Words);
        List<string> titles = [.. Pick(r, 5).Select(w => $"{Cap(query)} and {w}")];
        int n = r.Next(1, 6);
        string ordinal = new[] { "", "first", "second", "third", "fourth", "fifth" }[n];
        string body = $$"""
            <label for='q'>Search</label> <input id='q' type='search'>
            <button onclick='run()'>Search</button>
            <ol id='results'></ol>
            <script>
            const titles = {{System.Text.Json.JsonSerializer.Serialize(titles)}};
            function run() {
              const q = document.getElementById('q').value.trim().toLowerCase();
              const ol = document.getElementById('results');
              ol.innerHTML = '';
              for (const t of titles.filter(t => q && t.toLowerCase().includes(q))) {
                const li = document.createElement('li');
                const a = document.createElement('a');
                a.href = '#'; a.textContent = t;
                a.onclick = (e) => { e.preventDefault(); gymSubmit({ query: q, opened: t }); };
                li.appendChild(a); ol.appendChild(li);
              }
            }
            </script>
            """;
        return new WidgetInstance($"Search for \"{query}\" and open the {ordinal} result.", body,
            [SolutionStep.Fill("searchbox", "Search", query), SolutionStep.Click("button", "Search"), SolutionStep.Click("link", titles[n - 1])],
            s => Str(s, "opened") == titles[n - 1]);
    }
}

/// <summary>Read a value off a table and tell the user.</summary>
internal sealed class ReadTable : IWidget
{
    public string Name => "read-table";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 36);
        List<string> items = [.. Pick(r, 5).Select(Cap)];
        Dictionary<string, string> prices = items.ToDictionary(i => i, _ => (r.Next(100, 10000) / 100.0).ToString("0.00", CultureInfo.InvariantCulture));
        string item = r.Pick(items);
        StringBuilder sb = new("<table><tr><th>Item</th><th>Price</th></tr>");
        foreach (string i in items)
            sb.Append($"<tr><td>{H(i)}</td><td>${prices[i]}</td></tr>");
        sb.Append("</table>");
        return new WidgetInstance($"What is the price of {item}? Tell the user with send_msg_to_user.", sb.ToString(),
            [SolutionStep.Answer($"{item} costs ${prices[item]}.")], _ => false) { ExpectedAnswer = prices[item] };
    }
}
