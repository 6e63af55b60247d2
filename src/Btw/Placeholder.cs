namespace Btw; /// <summary>x</summary>
public static class Placeholder { }
