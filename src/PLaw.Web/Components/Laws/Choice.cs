namespace PLaw.Web.Components.Laws;

/// <summary>A value a law page's select offers and the words it shows for it.</summary>
public sealed record Choice(string Value, string Text);
