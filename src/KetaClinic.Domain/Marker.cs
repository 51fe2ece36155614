namespace KetaClinic.Domain; public static class Marker { }
