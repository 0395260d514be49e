using System.Globalization;
using System.Text;
using System.Text.Json;
using Gym.Core;
using static Gym.Envs.Web.Sites.Widgets.W;

namespace Gym.Envs.Web.Sites.Widgets;

/// <summary>Choose an option of a drop-down list and submit.</summary>
internal sealed class ChooseList : IWidget
{
    public string Name => "choose-list";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 21);
        List<string> options = [.. Pick(r, r.Next(5, 10)).Select(Cap)];
        string target = r.Pick(options);
        string body = $"""
            <label for='s'>Flavour</label> <select id='s'><option>Choose one</option>{string.Concat(options.Select(o => $"<option>{H(o)}</option>"))}</select>
            <button onclick='gymSubmit({"{"}choice: document.getElementById("s").value{"}"})'>Submit</button>
            """;
        return new WidgetInstance($"Select \"{target}\" from the Flavour list and press Submit.", body,
            [new SolutionStep("select_option", "combobox", "Flavour", target), SolutionStep.Click("button", "Submit")], s => Str(s, "choice") == target);
    }
}

/// <summary>Tick exactly the named checkboxes.</summary>
internal sealed class ClickCheckboxes : IWidget
{
    public string Name => "click-checkboxes";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 22);
        List<string> boxes = [.. Pick(r, r.Next(3, 7))];
        List<string> wanted = [.. boxes.Where(_ => r.Next(2) == 0)];
        if (wanted.Count == 0)
            wanted.Add(boxes[0]);
        StringBuilder sb = new();
        for (int i = 0; i < boxes.Count; i++)
            sb.Append($"<input type='checkbox' id='c{i}' value='{H(boxes[i])}'> <label for='c{i}'>{H(boxes[i])}</label><br>");
        sb.Append("<button onclick='gymSubmit({ticked: Array.from(document.querySelectorAll(\"input:checked\")).map(c => c.value)})'>Submit</button>");
        string goal = $"Tick {string.Join(", ", wanted.Select(w => $"\"{w}\""))} and nothing else, then press Submit.";
        List<SolutionStep> steps = [.. wanted.Select(w => new SolutionStep("check", "checkbox", w)), SolutionStep.Click("button", "Submit")];
        return new WidgetInstance(goal, sb.ToString(), steps, s =>
            s.TryGetProperty("ticked", out JsonElement t) && t.EnumerateArray().Select(e => e.GetString()!).Order().SequenceEqual(wanted.Order()));
    }
}

/// <summary>Pick one radio button.</summary>
internal sealed class ChooseRadio : IWidget
{
    public string Name => "choose-radio";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 23);
        List<string> options = [.. Pick(r, r.Next(3, 6)).Select(Cap)];
        string target = r.Pick(options);
        StringBuilder sb = new("<fieldset><legend>Delivery</legend>");
        for (int i = 0; i < options.Count; i++)
            sb.Append($"<input type='radio' name='d' id='r{i}' value='{H(options[i])}'> <label for='r{i}'>{H(options[i])}</label><br>");
        sb.Append("</fieldset><button onclick='const c = document.querySelector(\"input:checked\"); gymSubmit({choice: c ? c.value : \"\"})'>Continue</button>");
        return new WidgetInstance($"Choose the delivery option \"{target}\" and press Continue.", sb.ToString(),
            [new SolutionStep("check", "radio", target), SolutionStep.Click("button", "Continue")], s => Str(s, "choice") == target);
    }
}

/// <summary>Enter a date in a date field.</summary>
internal sealed class ChooseDate : IWidget
{
    public string Name => "choose-date";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 24);
        DateOnly date = new DateOnly(2024, 1, 1).AddDays(r.Next(0, 730));
        string iso = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string body = """
            <label for='d'>Appointment date</label> <input id='d' type='date'>
            <button onclick='gymSubmit({date: document.getElementById("d").value})'>Book</button>
            """;
        return new WidgetInstance($"Book an appointment on {date.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)}.", body,
            [SolutionStep.Fill("textbox", "Appointment date", iso), SolutionStep.Click("button", "Book")], s => Str(s, "date") == iso);
    }
}

/// <summary>Set a counter to a value with + and - buttons.</summary>
internal sealed class SetCounter : IWidget
{
    public string Name => "set-counter";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 25);
        int start = r.Next(0, 5), target = r.Next(0, 8);
        while (target == start)
            target = r.Next(0, 8);
        string body = $$"""
            <p>Tickets: <span id='n'>{{start}}</span></p>
            <button aria-label='Fewer tickets' onclick='n.textContent = Math.max(0, +n.textContent - 1)'>-</button>
            <button aria-label='More tickets' onclick='n.textContent = +n.textContent + 1'>+</button>
            <button onclick='gymSubmit({count: +n.textContent})'>Buy</button>
            """;
        string step = target > start ? "More tickets" : "Fewer tickets";
        List<SolutionStep> steps = [.. Enumerable.Repeat(SolutionStep.Click("button", step), Math.Abs(target - start)), SolutionStep.Click("button", "Buy")];
        return new WidgetInstance($"Set the number of tickets to {target} and press Buy.", body, steps,
            s => s.TryGetProperty("count", out JsonElement c) && c.GetInt32() == target);
    }
}
