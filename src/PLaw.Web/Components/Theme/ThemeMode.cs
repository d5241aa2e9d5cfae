namespace PLaw.Web.Components.Theme;

/// <summary>The person's choice, kept per browser: follow the system's colour scheme, or force one.</summary>
public enum ThemeMode { System, Light, Dark }
