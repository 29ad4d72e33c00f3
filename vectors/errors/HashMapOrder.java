// Prints the iteration order of a java.util.HashMap holding the keys given, put in that order:
// the real JVM's answer that encoders.py checks its own java_hash_map_order against.
//   javac HashMapOrder.java && java HashMapOrder reservation_id proof_text social_posts
import java.util.HashMap;
import java.util.Map;

public class HashMapOrder {
  public static void main(String[] args) {
    Map<String, Integer> map = new HashMap<>();
    for (String key : args) map.put(key, 0);
    System.out.println(String.join(",", map.keySet()));
  }
}
