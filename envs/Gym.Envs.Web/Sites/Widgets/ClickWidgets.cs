using System.Text;
using Gym.Core;
using static Gym.Envs.Web.Sites.Widgets.W;

namespace Gym.Envs.Web.Sites.Widgets;

/// <summary>Click the button with a given label among several.</summary>
internal sealed class ClickButton : IWidget
{
    public string Name => "click-button";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 1);
        List<string> labels = [.. Pick(r, r.Next(3, 7)).Select(Cap)];
        string target = r.Pick(labels);
        string buttons = string.Concat(labels.Select(l => $"<button onclick='gymSubmit({{clicked: {Js(l)}}})'>{H(l)}</button> "));
        return new WidgetInstance($"Click the button \"{target}\".", $"<div class='row'>{buttons}</div>", [SolutionStep.Click("button", target)],
            s => Str(s, "clicked") == target);
    }
}

/// <summary>Click the link with a given text.</summary>
internal sealed class ClickLink : IWidget
{
    public string Name => "click-link";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 2);
        List<string> texts = [.. Pick(r, r.Next(4, 8))];
        string target = r.Pick(texts);
        StringBuilder p = new("<p>");
        foreach (string t in texts)
            p.Append($"Some text about {H(t)}: <a href='#{H(t)}' onclick='event.preventDefault(); gymSubmit({{clicked: {Js(t)}}})'>{H(t)}</a>. ");
        return new WidgetInstance($"Click the link \"{target}\".", p.Append("</p>").ToString(), [SolutionStep.Click("link", target)], s => Str(s, "clicked") == target);
    }
}

/// <summary>The same label as click-button, but the button sits inside an iframe.</summary>
internal sealed class ClickInIframe : IWidget
{
    public string Name => "click-iframe";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 3);
        List<string> labels = [.. Pick(r, 4).Select(Cap)];
        string target = r.Pick(labels);
        string inner = string.Concat(labels.Select(l => $"<button onclick='parent.gymSubmit({{clicked: {Js(l)}}})'>{H(l)}</button> "));
        string srcdoc = H($"<!doctype html><body>{inner}</body>");
        return new WidgetInstance($"Click the button \"{target}\" in the embedded frame.", $"<iframe title='Embedded panel' srcdoc=\"{srcdoc}\" width='500' height='80'></iframe>",
            [SolutionStep.Click("button", target)], s => Str(s, "clicked") == target);
    }
}

/// <summary>Buttons rendered inside a custom element's shadow DOM.</summary>
internal sealed class ClickInShadow : IWidget
{
    public string Name => "click-shadow";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 4);
        List<string> labels = [.. Pick(r, 4).Select(Cap)];
        string target = r.Pick(labels);
        string script = $$"""
            <gym-toolbar></gym-toolbar>
            <script>
            customElements.define('gym-toolbar', class extends HTMLElement {
              connectedCallback() {
                const root = this.attachShadow({ mode: 'open' });
                for (const label of {{System.Text.Json.JsonSerializer.Serialize(labels)}}) {
                  const b = document.createElement('button');
                  b.textContent = label;
                  b.onclick = () => gymSubmit({ clicked: label });
                  root.appendChild(b);
                }
              }
            });
            </script>
            """;
        return new WidgetInstance($"Click the toolbar button \"{target}\".", script, [SolutionStep.Click("button", target)], s => Str(s, "clicked") == target);
    }
}

/// <summary>A button far down a long page.</summary>
internal sealed class ScrollAndClick : IWidget
{
    public string Name => "scroll-click";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 5);
        List<string> labels = [.. Pick(r, 3).Select(Cap)];
        string target = r.Pick(labels);
        string buttons = string.Concat(labels.Select(l => $"<button onclick='gymSubmit({{clicked: {Js(l)}}})'>{H(l)}</button> "));
        return new WidgetInstance($"Scroll to the bottom of the page and click \"{target}\".",
            $"<p>Terms and conditions follow.</p><div style='height: 2400px'></div><div class='row'>{buttons}</div>", [SolutionStep.Click("button", target)],
            s => Str(s, "clicked") == target);
    }
}

/// <summary>A menu whose items appear only while the pointer is over it.</summary>
internal sealed class HoverMenu : IWidget
{
    public string Name => "hover-menu";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 6);
        string[] menus = ["File", "Edit", "View"];
        Dictionary<string, List<string>> items = menus.ToDictionary(m => m, m => Pick(r, 3).Select(Cap).ToList());
        string menu = r.Pick(menus);
        string item = r.Pick(items[menu]);
        StringBuilder sb = new("<style>.menu { display: inline-block; position: relative; margin-right: 12px } .menu .items { display: none; position: absolute; background: #fff; border: 1px solid #999 } .menu:hover .items { display: block }</style><nav>");
        foreach (string m in menus)
        {
            sb.Append($"<div class='menu'><button aria-haspopup='true'>{m}</button><div class='items'>");
            foreach (string i in items[m])
                sb.Append($"<button onclick='gymSubmit({{menu: {Js(m)}, item: {Js(i)}}})'>{H(i)}</button><br>");
            sb.Append("</div></div>");
        }
        return new WidgetInstance($"In the \"{menu}\" menu, choose \"{item}\".", sb.Append("</nav>").ToString(),
            [new SolutionStep("hover", "button", menu), SolutionStep.Click("button", item)], s => Str(s, "menu") == menu && Str(s, "item") == item);
    }
}

/// <summary>Asked to click a button that is not there: the right answer is to report it.</summary>
internal sealed class ClickMissing : IWidget
{
    public string Name => "click-missing";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 7);
        List<string> labels = [.. Pick(r, 5).Select(Cap)];
        string missing = labels[^1];
        string buttons = string.Concat(labels.Take(4).Select(l => $"<button onclick='gymSubmit({{clicked: {Js(l)}}})'>{H(l)}</button> "));
        return new WidgetInstance($"Click the button \"{missing}\". If there is no such button, report that the task is infeasible.", $"<div class='row'>{buttons}</div>",
            [new SolutionStep("report_infeasible", null, null, $"There is no button \"{missing}\".")], _ => false) { Infeasible = true };
    }
}
