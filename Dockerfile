# The fpnas image: the runnable jar on a Java 17 runtime. Build: docker build -t fpnas .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/app/target/fpnas.jar /app/fpnas.jar
ENTRYPOINT ["java", "-jar", "/app/fpnas.jar"]
CMD ["--help"]
